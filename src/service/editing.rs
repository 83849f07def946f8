//! Shared pieces of every content edit: collecting field errors, slugs made
//! from text, setting only the columns an update changes, and renumbering
//! positions.

use std::collections::HashSet;

use sea_orm::sea_query::Expr;
use sea_orm::{EntityTrait, QuerySelect, Select, UpdateMany, Value};

use super::Db;
use crate::domain::{required_text, Slug};
use crate::error::{AppError, AppResult, FieldError};

/// The field errors of one submission. Each field is parsed on its own and
/// its error kept, so that one submission reports every bad field at once.
#[derive(Default)]
pub struct Submission {
    errors: Vec<FieldError>,
}

impl Submission {
    pub fn new() -> Self {
        Self::default()
    }

    /// The parsed value, or `None` with its error kept.
    pub fn keep<T>(&mut self, parsed: Result<T, FieldError>) -> Option<T> {
        parsed.map_err(|e| self.errors.push(e)).ok()
    }

    /// Records that `field` is wrong, saying why.
    pub fn refuse(&mut self, field: &str, message: impl Into<String>) {
        self.errors.push(FieldError::new(field, message));
    }

    /// The text given for `field` (called `what` in messages), trimmed;
    /// given, it must not be blank nor longer than `max` characters.
    pub fn text(
        &mut self,
        field: &str,
        what: &str,
        given: Option<&str>,
        max: usize,
    ) -> Option<String> {
        given.and_then(|raw| self.keep(required_text(field, what, raw, max)))
    }

    /// The slug given, if it is a slug.
    pub fn slug(&mut self, given: Option<&str>) -> Option<Slug> {
        given.and_then(|raw| self.keep(Slug::parse("slug", raw)))
    }

    pub fn is_clean(&self) -> bool {
        self.errors.is_empty()
    }

    /// An update must change something: when its input gives nothing (and
    /// nothing else is wrong), `ask`, which names what may change, is
    /// reported against the whole input.
    pub fn ask_for_a_change(&mut self, gives_nothing: bool, ask: &str) {
        if gives_nothing && self.is_clean() {
            self.refuse("input", ask);
        }
    }

    /// Ok when no field was wrong; otherwise one error naming every bad one.
    pub fn check(self) -> AppResult<()> {
        AppError::check_fields(self.errors)
    }
}

/// A new content row (page, category or question): the given fields plus
/// the stamps of a first version made by `viewer` at `at`. An import keeps
/// the creation time the document gives (`created`).
macro_rules! first_version {
    ($($model:ident)::+ { $($fields:tt)* }, by: $viewer:expr, created: $created:expr, at: $at:expr) => {
        $($model)::+ {
            $($fields)*
            version: ::sea_orm::ActiveValue::Set(1),
            created_at: ::sea_orm::ActiveValue::Set($created),
            created_by: ::sea_orm::ActiveValue::Set($viewer.user_id()),
            updated_at: ::sea_orm::ActiveValue::Set($at),
            updated_by: ::sea_orm::ActiveValue::Set($viewer.user_id()),
            ..Default::default()
        }
    };
    ($($model:ident)::+ { $($fields:tt)* }, by: $viewer:expr, at: $at:expr) => {
        first_version!($($model)::+ { $($fields)* }, by: $viewer, created: $at, at: $at)
    };
}
pub(super) use first_version;

/// An update sets only the columns its input gives a new value for.
pub trait SetGiven: Sized {
    type Column;
    fn set_given<V: Into<Value>>(self, column: Self::Column, value: Option<V>) -> Self;
}

impl<E: EntityTrait> SetGiven for UpdateMany<E> {
    type Column = E::Column;
    fn set_given<V: Into<Value>>(self, column: E::Column, value: Option<V>) -> Self {
        match value {
            Some(value) => self.col_expr(column, Expr::value(value)),
            None => self,
        }
    }
}

/// The slug given, or else one made from `text` that no row of `in_use`
/// has in its `column` yet (a bad `text` is reported against `field`).
pub async fn given_or_unused_slug<E: EntityTrait>(
    db: &Db,
    given: Option<Slug>,
    field: &str,
    text: &str,
    in_use: Select<E>,
    column: E::Column,
) -> AppResult<Slug> {
    if let Some(slug) = given {
        return Ok(slug);
    }
    let taken: HashSet<String> = in_use
        .select_only()
        .column(column)
        .into_tuple::<String>()
        .all(db)
        .await?
        .into_iter()
        .collect();
    unused_slug(field, text, &taken)
}

/// A slug derived from `text` that is not in `taken`.
fn unused_slug(field: &str, text: &str, taken: &HashSet<String>) -> Result<Slug, AppError> {
    let base = Slug::from_text(text, 60).ok_or_else(|| {
        AppError::field(
            field,
            "Use some letters or numbers, so that a slug can be made from it",
        )
    })?;
    let mut candidate = base.clone();
    let mut n = 2;
    while taken.contains(candidate.as_str()) {
        candidate = base.with_suffix(n);
        n += 1;
    }
    Ok(candidate)
}

/// Checks a 1-based position against the number of places available.
pub fn check_position(position: i32, places: usize) -> Result<(), AppError> {
    if position < 1 || position as usize > places {
        return Err(AppError::field(
            "position",
            format!("Position must be between 1 and {places}"),
        ));
    }
    Ok(())
}

/// Puts `moved` at `position` among `others` (already in order) and returns
/// (id, new position) for each row whose position must change.
pub fn renumber(others: &[(i32, i32)], moved: Option<(i32, i32)>) -> Vec<(i32, i32)> {
    let mut order: Vec<i32> = others.iter().map(|(id, _)| *id).collect();
    if let Some((id, position)) = moved {
        let at = (position.max(1) as usize - 1).min(order.len());
        order.insert(at, id);
    }
    let current: std::collections::HashMap<i32, i32> = others.iter().copied().collect();
    order
        .into_iter()
        .enumerate()
        .filter_map(|(index, id)| {
            let new = index as i32 + 1;
            match current.get(&id) {
                Some(old) if *old == new => None,
                _ if moved.is_some_and(|(m, _)| m == id) => None,
                _ => Some((id, new)),
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::renumber;

    #[test]
    fn renumbers_around_a_moved_item() {
        // 10,11,12 at 1,2,3; move 99 to position 2.
        let changes = renumber(&[(10, 1), (11, 2), (12, 3)], Some((99, 2)));
        assert_eq!(changes, vec![(11, 3), (12, 4)]);
        // Closing a gap.
        assert_eq!(renumber(&[(10, 1), (12, 3)], None), vec![(12, 2)]);
    }
}
