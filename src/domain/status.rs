macro_rules! string_enum {
    ($(#[$meta:meta])* $name:ident { $($(#[$vmeta:meta])* $variant:ident => $text:literal),+ $(,)? }) => {
        $(#[$meta])*
        #[derive(async_graphql::Enum, Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
        #[serde(rename_all = "SCREAMING_SNAKE_CASE")]
        pub enum $name { $($(#[$vmeta])* $variant),+ }

        impl $name {
            /// The form stored in the database and used in exports.
            pub fn as_str(self) -> &'static str {
                match self { $($name::$variant => $text),+ }
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

pub(crate) use string_enum;

string_enum!(
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

string_enum!(
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

string_enum!(
    /// What a member of staff may do.
    Role {
        /// Drafts and edits questions and answers.
        Editor => "EDITOR",
        /// Also publishes, unpublishes, archives, restores and deletes.
        Publisher => "PUBLISHER",
        /// Also manages users, pages and the audit log.
        Admin => "ADMIN",
    }
);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn statuses_round_trip_through_text() {
        for s in [PageStatus::Draft, PageStatus::Live, PageStatus::Retired] {
            assert_eq!(s.as_str().parse::<PageStatus>().unwrap(), s);
        }
        let err = "LIVELY".parse::<QuestionStatus>().unwrap_err();
        assert!(err.contains("DRAFT, PUBLISHED, ARCHIVED"), "{err}");
    }
}
