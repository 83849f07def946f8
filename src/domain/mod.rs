//! Domain newtypes: input is parsed into these once, at the edge, and the
//! rest of the code can rely on them being valid.

mod address;
mod change;
mod email;
mod permission;
mod review;
mod slug;
mod status;
mod text;
mod two_factor;
mod viewer;
mod webhook;

pub use address::{classify, AddressKind, RefusedAddress, WebhookTargets};
pub use change::{
    AccountChange, CategoryChange, Change, PageChange, QuestionChange, RevisionAction,
    WebhookChange,
};
pub use email::{Email, NewPassword, MAX_PASSWORD_LEN, MIN_PASSWORD_LEN};
pub use permission::{question_deletable, PageActions, Permission, QuestionActions};
pub use review::{review_message, send_back_comment, TwoPersonRule, MAX_REVIEW_TEXT_LEN};
pub use slug::Slug;
pub use status::{PageStatus, QuestionStatus, Role};
pub use text::{
    change_note, required_text, MAX_ANSWER_LEN, MAX_CHANGE_NOTE_LEN, MAX_INTRO_LEN, MAX_NOTE_LEN,
    MAX_QUESTION_LEN, MAX_TITLE_LEN,
};
pub use two_factor::{
    SecondFactorCode, TwoFactorRequirement, RECOVERY_CODE_ALPHABET, RECOVERY_CODE_LEN, TOTP_DIGITS,
};
pub use viewer::Viewer;
pub use webhook::{
    WebhookDeliveryStatus, WebhookEvent, WebhookUrl, MAX_WEBHOOK_DESCRIPTION_LEN,
    MAX_WEBHOOK_URL_LEN,
};
