//! The closed sets of values stored in text columns. Each is a Rust enum
//! whose stored form is the text the column has always held, so no
//! migration changes a row: the database keeps `"LIVE"`, the code only ever
//! sees `PageStatus::Live`.

use sea_orm::entity::prelude::*;

macro_rules! stored_enum {
    ($(#[$meta:meta])* $name:ident { $($(#[$vmeta:meta])* $variant:ident => $text:literal),+ $(,)? }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, EnumIter, DeriveActiveEnum, serde::Serialize, serde::Deserialize)]
        #[sea_orm(rs_type = "String", db_type = "Text")]
        #[serde(rename_all = "SCREAMING_SNAKE_CASE")]
        pub enum $name { $($(#[$vmeta])* #[sea_orm(string_value = $text)] $variant),+ }

        impl $name {
            /// Every value, in the order they are declared.
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            /// The stored form, also used in exports and webhook payloads.
            pub fn as_str(self) -> &'static str {
                match self { $($name::$variant => $text),+ }
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl std::str::FromStr for $name {
            type Err = String;
            fn from_str(s: &str) -> Result<Self, String> {
                match s {
                    $($text => Ok($name::$variant),)+
                    other => Err(format!(
                        "'{other}' is not a {}; use one of {}",
                        stringify!($name),
                        [$($text),+].join(", ")
                    )),
                }
            }
        }
    };
}

stored_enum!(
    /// Where a page is in its life.
    PageStatus {
        /// Being prepared; only signed-in staff can see it.
        Draft => "DRAFT",
        /// Public.
        Live => "LIVE",
        /// Withdrawn: answers with its retirement notice and no questions.
        Retired => "RETIRED",
    }
);

stored_enum!(
    /// Where a question is in its life.
    QuestionStatus {
        /// Never published, or unpublished; only signed-in staff can see it.
        Draft => "DRAFT",
        /// Public: readers see the last published text.
        Published => "PUBLISHED",
        /// Hidden from the public, kept, and restorable.
        Archived => "ARCHIVED",
    }
);

stored_enum!(
    /// What a member of staff may do; each role includes the ones declared
    /// before it (so roles compare by trust).
    Role {
        /// Drafts and edits questions and answers.
        Editor => "EDITOR",
        /// Also publishes, unpublishes, archives, restores and deletes.
        Publisher => "PUBLISHER",
        /// Also manages users, pages and the audit log.
        Admin => "ADMIN",
    }
);

stored_enum!(
    /// Where one delivery of an event to a webhook stands.
    WebhookDeliveryStatus {
        /// Waiting for its first attempt or for a retry.
        Pending => "PENDING",
        /// The receiver answered with a 2xx status.
        Delivered => "DELIVERED",
        /// Every attempt failed; it can be sent again by hand.
        Failed => "FAILED",
    }
);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stored_text_round_trips() {
        for s in PageStatus::ALL {
            assert_eq!(s.as_str().parse::<PageStatus>().unwrap(), *s);
            assert_eq!(s.to_value(), s.as_str());
        }
        let err = "LIVELY".parse::<QuestionStatus>().unwrap_err();
        assert!(err.contains("DRAFT, PUBLISHED, ARCHIVED"), "{err}");
    }
}
