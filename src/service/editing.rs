//! Shared pieces of every content edit: slugs made from text, and
//! renumbering positions.

use crate::domain::Slug;
use crate::error::AppError;

/// A slug derived from `text` that is not in `taken`.
pub fn unused_slug(
    field: &str,
    text: &str,
    taken: &std::collections::HashSet<String>,
) -> Result<Slug, AppError> {
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
