//! The unique constraints a client's input can run into, each turned into
//! a field error on the field it concerns. A violation is recognised by the
//! constraint it names: PostgreSQL gives the constraint's name, SQLite the
//! columns it covers. Any other violation is a fault of ours (`INTERNAL`),
//! never blamed on whichever field happened to be in the form.

use sea_orm::{DbErr, SqlErr};

use crate::error::AppError;

/// One unique constraint of the schema (see the migrations).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Unique {
    /// `users.email`.
    UserEmail,
    /// `pages.slug`.
    PageSlug,
    /// `ux_categories_page_slug`: a category's slug within its page.
    CategorySlug,
    /// `ux_questions_page_slug`: a question's slug within its page (the
    /// public page's anchors).
    QuestionSlug,
}

impl Unique {
    const ALL: [Unique; 4] = [
        Unique::UserEmail,
        Unique::PageSlug,
        Unique::CategorySlug,
        Unique::QuestionSlug,
    ];

    /// The constraint's name on PostgreSQL (a column's UNIQUE is named
    /// TABLE_COLUMN_key there) and the columns SQLite names instead.
    fn names(self) -> (&'static str, &'static str) {
        match self {
            Unique::UserEmail => ("users_email_key", "users.email"),
            Unique::PageSlug => ("pages_slug_key", "pages.slug"),
            Unique::CategorySlug => (
                "ux_categories_page_slug",
                "categories.page_id, categories.slug",
            ),
            Unique::QuestionSlug => (
                "ux_questions_page_slug",
                "questions.page_id, questions.slug",
            ),
        }
    }

    /// Which of these constraints `error` violated, if any.
    pub fn violated(error: &DbErr) -> Option<Unique> {
        match error.sql_err() {
            Some(SqlErr::UniqueConstraintViolation(message)) => Unique::named_in(&message),
            _ => None,
        }
    }

    /// The constraint a database's message names: PostgreSQL's
    /// `duplicate key value violates unique constraint "NAME"`, or SQLite's
    /// `UNIQUE constraint failed: TABLE.COLUMN, …`.
    fn named_in(message: &str) -> Option<Unique> {
        let sqlite_columns = message
            .split_once("UNIQUE constraint failed: ")
            .map(|(_, columns)| columns.trim());
        Unique::ALL.into_iter().find(|unique| {
            let (postgres, sqlite) = unique.names();
            message.contains(&format!("\"{postgres}\"")) || sqlite_columns == Some(sqlite)
        })
    }

    /// The field error a person can act on.
    pub fn field_error(self) -> AppError {
        let (field, message) = match self {
            Unique::UserEmail => ("email", "There is already a user with this email address"),
            Unique::PageSlug => (
                "slug",
                "Another page already uses this slug. Choose a different one.",
            ),
            Unique::CategorySlug => (
                "slug",
                "Another category on this page already uses this slug. Choose a different one.",
            ),
            Unique::QuestionSlug => (
                "slug",
                "Another question on this page already uses this slug. Choose a different one.",
            ),
        };
        AppError::field(field, message)
    }
}

/// A failed write: a field error when it broke one of the unique
/// constraints above, an internal error otherwise.
pub fn on_write(error: DbErr) -> AppError {
    match Unique::violated(&error) {
        Some(unique) => unique.field_error(),
        None => error.into(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_engine_names_the_constraint_its_own_way() {
        for unique in Unique::ALL {
            let (postgres, sqlite) = unique.names();
            let from_postgres =
                format!("duplicate key value violates unique constraint \"{postgres}\"");
            let from_sqlite = format!("UNIQUE constraint failed: {sqlite}");
            assert_eq!(Unique::named_in(&from_postgres), Some(unique));
            assert_eq!(Unique::named_in(&from_sqlite), Some(unique));
        }
    }

    #[test]
    fn other_constraints_are_not_blamed_on_a_field() {
        for message in [
            "duplicate key value violates unique constraint \"sessions_pkey\"",
            "UNIQUE constraint failed: sessions.id",
            // A prefix of a known column list is another constraint.
            "UNIQUE constraint failed: questions.page_id",
        ] {
            assert_eq!(Unique::named_in(message), None, "{message}");
        }
    }
}
