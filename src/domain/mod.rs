//! Domain newtypes: input is parsed into these once, at the edge, and the
//! rest of the code can rely on them being valid.

mod slug;
mod status;
mod viewer;

pub use slug::Slug;
pub use status::{PageStatus, QuestionStatus, Role};
pub use viewer::Viewer;
