//! A page's unpublished changes, item by item, each with what readers see
//! now and what they would see; and publishing a chosen set of them in one
//! transaction, all or none. The "Review and publish" screen is built on it.
//!
//! An item is what a publisher can choose on its own: the page's text, one
//! category (its title, address and place), the order of the questions
//! readers see (their category, place and address), or one question (its
//! text, or its first publication). Each carries the version it was listed
//! at, so that nothing is published that changed after it was reviewed.

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use entity::{category, page, question};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder};
use serde_json::json;
use sha2::{Digest, Sha256};

use super::changes::{self, Event};
use super::revisions::{diff_words, DiffSegment};
use super::{page_updates, pages, published, questions_edit, revisions, versioned, Db};
use crate::domain::{
    CategoryChange, Change, PageChange, Permission, QuestionStatus, TwoPersonRule, Viewer,
};
use crate::error::{AppError, AppResult};

/// What kind of change an item is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ItemKind {
    /// The page's title, introduction and footer.
    PageText,
    /// A category's title, address and place among the categories.
    Category,
    /// Where the questions readers see stand: their category, place and address.
    Order,
    /// A question's text, or its first publication.
    Question,
}

impl ItemKind {
    pub fn as_str(self) -> &'static str {
        match self {
            ItemKind::PageText => "PAGE_TEXT",
            ItemKind::Category => "CATEGORY",
            ItemKind::Order => "ORDER",
            ItemKind::Question => "QUESTION",
        }
    }
}

/// One item as a publisher chose it: which, and at which version.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Item {
    pub kind: ItemKind,
    /// The page's id for the page's text and the order; else the category's or question's.
    pub id: i32,
    pub version: i32,
}

/// One changed value: what readers see now against the working copy.
#[derive(Debug, Clone)]
pub struct ChangedField {
    pub label: String,
    pub diff: Vec<DiffSegment>,
}

/// An unpublished change on a page.
#[derive(Debug, Clone)]
pub struct Pending {
    pub item: Item,
    /// What it is, for people: the category's title, the question, …
    pub title: String,
    /// What publishing it does, in a sentence.
    pub summary: String,
    pub fields: Vec<ChangedField>,
    /// Who changed it last, and when.
    pub changed_by: Option<i32>,
    pub changed_at: DateTime<Utc>,
}

fn field(label: &str, readers_see: &str, working: &str) -> Option<ChangedField> {
    (readers_see != working).then(|| ChangedField {
        label: label.to_owned(),
        diff: diff_words(readers_see, working),
    })
}

/// Every unpublished change on `page`, in the order of the page: its text,
/// its categories, the order of its questions, then its questions.
pub async fn list(db: &Db, viewer: &Viewer, page: &page::Model) -> AppResult<Vec<Pending>> {
    viewer.require(Permission::EditContent)?;
    pending(db, page).await
}

pub(super) async fn pending(
    conn: &impl ConnectionTrait,
    page: &page::Model,
) -> AppResult<Vec<Pending>> {
    let mut items = Vec::new();
    if published::page_text_differs(page) {
        let text = published::page(page.clone());
        let fields = [
            field("Title", &text.title, &page.title),
            field("Introduction", &text.intro, &page.intro),
            field("Footer", &text.footer, &page.footer),
        ];
        items.push(Pending {
            item: Item {
                kind: ItemKind::PageText,
                id: page.id,
                version: page.version,
            },
            title: "The page's title, introduction and footer".to_owned(),
            summary: "Readers will see the new text".to_owned(),
            fields: fields.into_iter().flatten().collect(),
            changed_by: page.updated_by.or(page.created_by),
            changed_at: page.updated_at,
        });
    }
    let every_category = category::Entity::find()
        .filter(category::Column::PageId.eq(page.id))
        .order_by_asc(category::Column::Position)
        .all(conn)
        .await?;
    let category_title: HashMap<i32, String> = every_category
        .iter()
        .map(|c| {
            let seen = c.published_title.clone();
            (c.id, seen.unwrap_or_else(|| c.title.clone()))
        })
        .collect();
    for c in every_category
        .iter()
        .filter(|c| published::category_differs(c))
    {
        items.push(category_change(c));
    }
    let places = pages::places_pending(page.id)
        .order_by_asc(question::Column::CategoryId)
        .order_by_asc(question::Column::Position)
        .all(conn)
        .await?;
    if let Some(order) = order_change(page.id, &places, &category_title) {
        items.push(order);
    }
    let questions = question::Entity::find()
        .filter(question::Column::PageId.eq(page.id))
        .filter(question::Column::Status.ne(QuestionStatus::Archived))
        .order_by_asc(question::Column::CategoryId)
        .order_by_asc(question::Column::Position)
        .all(conn)
        .await?;
    items.extend(questions.iter().filter_map(question_change));
    Ok(items)
}

fn category_change(c: &category::Model) -> Pending {
    let new = c.published_title.is_none();
    let fields = if new {
        Vec::new()
    } else {
        let seen = published::category(c.clone());
        [
            field("Title", &seen.title, &c.title),
            field(
                "Address",
                &format!("#{}", seen.slug),
                &format!("#{}", c.slug),
            ),
            field(
                "Place among the categories",
                &seen.position.to_string(),
                &c.position.to_string(),
            ),
        ]
        .into_iter()
        .flatten()
        .collect()
    };
    let summary = if new {
        "A new category: publishing fixes its title, address and place for readers"
    } else {
        "Readers will see the category's new title, address or place"
    };
    Pending {
        item: Item {
            kind: ItemKind::Category,
            id: c.id,
            version: c.version,
        },
        title: c.title.clone(),
        summary: summary.to_owned(),
        fields,
        changed_by: c.updated_by.or(c.created_by),
        changed_at: c.updated_at,
    }
}

/// Where a question stands, in words: its category, place and address.
fn place(category: &str, position: i32, slug: &str) -> String {
    format!("{category}, place {position}, #{slug}")
}

/// The places of the questions readers see that differ from their working
/// places, as one item. Moving one question renumbers its neighbours
/// without a new version of each, so the item's version is a fingerprint
/// of the working places it lists: any move after the listing changes it.
fn order_change(
    page_id: i32,
    places: &[question::Model],
    category_title: &HashMap<i32, String>,
) -> Option<Pending> {
    let newest = places.iter().max_by_key(|q| q.updated_at)?;
    let title_of = |id: i32| category_title.get(&id).map_or("", String::as_str);
    let fields = places
        .iter()
        .map(|q| {
            let seen_in = q.published_category_id.unwrap_or(q.category_id);
            let seen_slug = q.published_slug.as_deref().unwrap_or(&q.slug);
            let seen = place(
                title_of(seen_in),
                q.published_position.unwrap_or(q.position),
                seen_slug,
            );
            let working = place(title_of(q.category_id), q.position, &q.slug);
            ChangedField {
                label: q.question.clone(),
                diff: diff_words(&seen, &working),
            }
        })
        .collect();
    Some(Pending {
        item: Item {
            kind: ItemKind::Order,
            id: page_id,
            version: fingerprint(places),
        },
        title: "The order of the questions".to_owned(),
        summary: "Readers will see these questions in their new places".to_owned(),
        fields,
        changed_by: newest.updated_by.or(newest.created_by),
        changed_at: newest.updated_at,
    })
}

/// A positive number that changes whenever one of the listed working
/// places does: the first 31 bits of a SHA-256 of them, the same on every
/// replica and release.
fn fingerprint(places: &[question::Model]) -> i32 {
    let mut sorted: Vec<_> = places
        .iter()
        .map(|q| (q.id, q.category_id, q.position, q.slug.as_str()))
        .collect();
    sorted.sort();
    let mut hash = Sha256::new();
    for (id, category, position, slug) in sorted {
        hash.update(format!("{id}/{category}/{position}/{slug}\n"));
    }
    let bytes = hash.finalize();
    i32::from_be_bytes([bytes[0], bytes[1], bytes[2], bytes[3]]) & i32::MAX
}

pub(super) fn question_change(q: &question::Model) -> Option<Pending> {
    let (summary, readers_question, readers_answer) = match (q.status, &q.live_question) {
        (QuestionStatus::Draft, _) if q.published_at.is_some() => (
            "Unpublished: readers will see it again",
            String::new(),
            String::new(),
        ),
        (QuestionStatus::Draft, _) => (
            "Not published yet: readers will see it for the first time",
            String::new(),
            String::new(),
        ),
        (QuestionStatus::Published, Some(live_question)) => {
            let live_answer = q.live_answer.clone().unwrap_or_default();
            if *live_question == q.question && live_answer == q.answer {
                return None;
            }
            (
                "Readers will see the new text",
                live_question.clone(),
                live_answer,
            )
        }
        _ => return None,
    };
    let fields = [
        field("Question", &readers_question, &q.question),
        field("Answer", &readers_answer, &q.answer),
    ];
    Some(Pending {
        item: Item {
            kind: ItemKind::Question,
            id: q.id,
            version: q.version,
        },
        title: q.question.clone(),
        summary: summary.to_owned(),
        fields: fields.into_iter().flatten().collect(),
        changed_by: q.updated_by.or(q.created_by),
        changed_at: q.updated_at,
    })
}

/// Publishes the chosen `items` of page `page_id` in one transaction, with
/// one public change note. Nothing is published when any item is no longer
/// as it was listed (changed, published or gone since): the error names it
/// and who changed it last.
pub async fn publish_selected(
    db: &Db,
    viewer: &Viewer,
    page_id: i32,
    items: &[Item],
    change_note: Option<&str>,
    rule: TwoPersonRule,
) -> AppResult<page::Model> {
    viewer.require(Permission::Publish)?;
    let note = crate::domain::change_note(change_note).map_err(|e| AppError::fields(vec![e]))?;
    if items.is_empty() {
        return Err(AppError::field(
            "items",
            "Choose at least one change to publish",
        ));
    }
    for (at, item) in items.iter().enumerate() {
        if items[..at]
            .iter()
            .any(|i| i.kind == item.kind && i.id == item.id)
        {
            return Err(AppError::field("items", "Each change can be chosen once"));
        }
    }
    let (txn, _turn) = crate::db::begin_write(db).await?;
    let page = page::Entity::find_by_id(page_id)
        .one(&txn)
        .await?
        .ok_or_else(|| AppError::NotFound("There is no page with this id.".into()))?;
    let listed = pending(&txn, &page).await?;
    for item in items {
        let now_listed = listed
            .iter()
            .find(|p| p.item.kind == item.kind && p.item.id == item.id);
        match now_listed {
            Some(p) if p.item.version == item.version => {
                let what = describe(p.item.kind, &p.title);
                rule.check(viewer, p.changed_by, &what.replacen("The ", "the ", 1))?;
            }
            _ => return Err(stale(&txn, page.id, *item, now_listed).await?),
        }
    }
    let chosen = |kind: ItemKind| items.iter().filter(move |i| i.kind == kind);
    let mut page_row = page.clone();
    for item in chosen(ItemKind::PageText) {
        let update =
            published::publishing(page::Entity::update_many(), &published::PAGE_TEXT, None);
        page_row = versioned::write_checked(&txn, viewer, item.id, item.version, update, |p| {
            AppError::conflict("page", p.version)
        })
        .await?;
        // Its revision only: the set is announced once, below.
        let (snapshot, action) = (revisions::page_snapshot(&page_row), PageChange::Published);
        let (id, version) = (page_row.id, page_row.version);
        revisions::record(
            &txn,
            viewer,
            "page",
            id,
            version,
            snapshot,
            None,
            action.as_str(),
        )
        .await?;
    }
    for item in chosen(ItemKind::Category) {
        let update =
            published::publishing(category::Entity::update_many(), &published::CATEGORY, None);
        let row = versioned::write_checked(&txn, viewer, item.id, item.version, update, |c| {
            AppError::conflict("category", c.version)
        })
        .await?;
        let event = Event::new(Change::Category(CategoryChange::Published, row.id));
        versioned::record::<category::Entity>(&txn, viewer, &row, event).await?;
    }
    if chosen(ItemKind::Order).next().is_some() {
        published::publishing(
            question::Entity::update_many(),
            &published::QUESTION_PLACE,
            None,
        )
        .filter(pages::places_pending_condition(page.id))
        .exec(&txn)
        .await?;
    }
    for item in chosen(ItemKind::Question) {
        questions_edit::publish_within(&txn, viewer, item.id, item.version).await?;
    }
    let at = super::now();
    page_updates::record(&txn, viewer, page.id, at, note).await?;
    // One announcement for the set, whatever it held.
    let event = Event::new(Change::Page(PageChange::Published, page.id))
        .with(announced(page.id, &page.slug, items));
    changes::record(&txn, viewer, event).await?;
    txn.commit().await?;
    Ok(page_row)
}

/// What the audit log and the `page.published` webhook say was published.
pub(super) fn announced(page_id: i32, slug: &str, items: &[Item]) -> serde_json::Value {
    let changes: Vec<_> = items
        .iter()
        .map(|i| json!({ "kind": i.kind.as_str(), "id": i.id.to_string() }))
        .collect();
    json!({ "id": page_id, "slug": slug, "changes": changes })
}

/// Why `item` can no longer be published as listed: who changed it last
/// (CONFLICT), or, for an item that is not on this page at all, the
/// client's mistake.
async fn stale(
    conn: &impl ConnectionTrait,
    page_id: i32,
    item: Item,
    now_listed: Option<&Pending>,
) -> AppResult<AppError> {
    let not_here = || AppError::field("items", "One of the chosen changes is not on this page");
    let (what, by, current) = match (item.kind, now_listed) {
        (_, Some(p)) => (describe(item.kind, &p.title), p.changed_by, p.item.version),
        (ItemKind::Question, None) => {
            let found = question::Entity::find_by_id(item.id).one(conn).await?;
            let Some(row) = found.filter(|q| q.page_id == page_id) else {
                return Ok(not_here());
            };
            // Published since, most likely: by whom, else who last saved it.
            let by = row.published_by.or(row.updated_by);
            (describe(item.kind, &row.question), by, row.version)
        }
        (ItemKind::Category, None) => {
            let found = category::Entity::find_by_id(item.id).one(conn).await?;
            let Some(row) = found.filter(|c| c.page_id == page_id) else {
                return Ok(not_here());
            };
            (describe(item.kind, &row.title), row.updated_by, row.version)
        }
        (ItemKind::PageText | ItemKind::Order, None) => {
            if item.id != page_id {
                return Ok(not_here());
            }
            let row = page::Entity::find_by_id(item.id).one(conn).await?;
            let by = row.as_ref().and_then(|p| p.updated_by);
            (describe(item.kind, ""), by, row.map_or(0, |p| p.version))
        }
    };
    let who = match by {
        Some(id) => entity::user::Entity::find_by_id(id)
            .one(conn)
            .await?
            .map(|u| u.display_name),
        None => None,
    };
    let by_whom = who
        .as_deref()
        .map_or(String::new(), |name| format!(" by {name}"));
    Ok(AppError::Stale {
        message: format!(
            "{what} was changed{by_whom} after you opened this screen. Nothing was published: \
             review the changes again, then publish."
        ),
        kind: item.kind.as_str(),
        id: item.id,
        current_version: current,
        changed_by: who,
    })
}

fn describe(kind: ItemKind, title: &str) -> String {
    match kind {
        ItemKind::PageText => "The page's text".to_owned(),
        ItemKind::Order => "The order of the questions".to_owned(),
        ItemKind::Category => format!("The category \u{201c}{title}\u{201d}"),
        ItemKind::Question => format!("The question \u{201c}{title}\u{201d}"),
    }
}
