//! Import and export of whole pages. An import is one transaction: it either
//! applies every change or none. Items are matched by slug, and an item whose
//! content already matches is left untouched, so importing the same file twice
//! changes nothing the second time.

use std::collections::{HashMap, HashSet};

use chrono::{DateTime, Utc};
use entity::{category, page, page_update, question};
use sea_orm::{
    ActiveModelBehavior, ActiveModelTrait, ColumnTrait, DatabaseTransaction, EntityTrait,
    IntoActiveModel, QueryFilter, QueryOrder, Select, Set,
};
use serde_json::json;

use super::editing::first_version;
use super::versioned::{Content, Revisioned, Versioned};
use super::Db;
use super::{changes, grouped, now, revisions};
use crate::domain::{
    Change, QuestionStatus, Slug, Viewer, MAX_ANSWER_LEN, MAX_QUESTION_LEN, MAX_TITLE_LEN,
};
use crate::error::{AppError, AppResult, FieldError};
use crate::interchange::{
    CategoryDocument, ExportFile, PageDocument, PageUpdateDocument, PublishedCategoryDocument,
    PublishedPageDocument, PublishedPlaceDocument, QuestionDocument, EXPORT_FORMAT,
};
use crate::markdown;

/// What an import did, by kind of item.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct ImportReport {
    pub pages: Tally,
    pub categories: Tally,
    pub questions: Tally,
}

/// How many items of one kind an import created and changed.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Tally {
    pub created: usize,
    pub updated: usize,
}

impl Tally {
    fn add(&mut self, saved: Saved) {
        match saved {
            Saved::Created => self.created += 1,
            Saved::Updated => self.updated += 1,
            Saved::Unchanged => {}
        }
    }
}

impl ImportReport {
    pub fn changed_anything(&self) -> bool {
        *self != ImportReport::default()
    }
}

impl std::fmt::Display for Tally {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} created, {} updated", self.created, self.updated)
    }
}

impl std::fmt::Display for ImportReport {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        if !self.changed_anything() {
            return f.write_str("nothing changed: the content is already up to date");
        }
        let ImportReport {
            pages,
            categories,
            questions,
        } = self;
        write!(
            f,
            "pages: {pages}; categories: {categories}; questions: {questions}"
        )
    }
}

/// The text at `{at}.{name}`: given, and no longer than `max`.
fn check_text(
    errors: &mut Vec<FieldError>,
    at: &str,
    name: &str,
    value: &str,
    max: usize,
    what: &str,
) {
    let field = format!("{at}.{name}");
    if value.trim().is_empty() {
        errors.push(FieldError::new(field, format!("Enter the {what}")));
    } else if value.chars().count() > max {
        errors.push(FieldError::new(
            field,
            format!("The {what} must be {max} characters or fewer"),
        ));
    }
}

/// The slug at `{at}.slug`: well formed, and not in `seen` (where it must be
/// unique), else `twice` says so.
fn check_slug<'a>(
    errors: &mut Vec<FieldError>,
    at: &str,
    slug: &'a str,
    seen: &mut HashSet<&'a str>,
    twice: &str,
) {
    let field = format!("{at}.slug");
    if let Err(e) = Slug::parse(&field, slug) {
        errors.push(e);
    }
    if !seen.insert(slug) {
        errors.push(FieldError::new(field, twice));
    }
}

/// Checks every document before anything is written, naming each bad field
/// by its path in the document.
fn validate(docs: &[PageDocument]) -> AppResult<()> {
    let mut errors = Vec::new();
    let mut page_slugs = HashSet::new();
    for (p, doc) in docs.iter().enumerate() {
        let at = format!("pages[{p}]");
        let twice = "This page slug is used twice in the file";
        check_slug(&mut errors, &at, &doc.slug, &mut page_slugs, twice);
        check_text(
            &mut errors,
            &at,
            "title",
            &doc.title,
            MAX_TITLE_LEN,
            "page title",
        );
        let mut category_slugs = HashSet::new();
        let mut question_slugs = HashSet::new();
        for (c, cat) in doc.categories.iter().enumerate() {
            let at = format!("{at}.categories[{c}]");
            let twice = "This category slug is used twice on the page";
            check_slug(&mut errors, &at, &cat.slug, &mut category_slugs, twice);
            let what = "category title";
            check_text(&mut errors, &at, "title", &cat.title, MAX_TITLE_LEN, what);
            for (q, item) in cat.questions.iter().enumerate() {
                let at = format!("{at}.questions[{q}]");
                let twice = "This question slug is used twice on the page";
                check_slug(&mut errors, &at, &item.slug, &mut question_slugs, twice);
                let texts = [
                    ("question", &item.question, MAX_QUESTION_LEN),
                    ("answer", &item.answer, MAX_ANSWER_LEN),
                ];
                for (name, text, max) in texts {
                    check_text(&mut errors, &at, name, text, max, name);
                }
            }
        }
    }
    AppError::check_fields(errors)
}

pub async fn import(
    db: &Db,
    viewer: &Viewer,
    docs: Vec<PageDocument>,
    note: &str,
) -> AppResult<ImportReport> {
    validate(&docs)?;
    // Import reads before it writes: on SQLite, take the write lock first.
    let (txn, _turn) = crate::db::begin_write(db).await?;
    let mut import = Import {
        txn: &txn,
        viewer,
        note,
        report: ImportReport::default(),
    };
    // Every page's categories before any question: a question's published
    // place may be a category further down the file, or on another page.
    let mut placed = Vec::with_capacity(docs.len());
    for doc in &docs {
        placed.push(import.page_and_categories(doc).await?);
    }
    let categories = CategoryIds::read(&txn).await?;
    for (doc, page) in docs.iter().zip(&mut placed) {
        import.questions(doc, page, &categories).await?;
    }
    for (doc, page) in docs.iter().zip(&placed) {
        import.updates(doc, page).await?;
    }
    let report = import.report;
    if report.changed_anything() {
        let detail = json!({ "note": note, "report": report.to_string() });
        let event = changes::Event::new(Change::ContentImported).with(detail);
        changes::record(&txn, viewer, event).await?;
    }
    txn.commit().await?;
    Ok(report)
}

/// One import under way: its transaction, who runs it, its note (kept on
/// every revision it makes) and what it has done so far.
struct Import<'a> {
    txn: &'a DatabaseTransaction,
    viewer: &'a Viewer,
    note: &'a str,
    report: ImportReport,
}

/// What an import did to one row.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Saved {
    Created,
    Updated,
    Unchanged,
}

/// Where a question of the document goes.
struct QuestionTarget {
    page_id: i32,
    category_id: i32,
    position: i32,
}

/// The rows of `select` by slug, so that each item of the document finds the
/// row it updates.
async fn by_slug<E: EntityTrait>(
    txn: &DatabaseTransaction,
    select: Select<E>,
    slug_of: impl Fn(&E::Model) -> String,
) -> AppResult<HashMap<String, E::Model>> {
    let rows = select.all(txn).await?;
    Ok(rows.into_iter().map(|row| (slug_of(&row), row)).collect())
}

/// Every category's id by the slugs of its page and of itself, for the
/// published places of questions.
struct CategoryIds(HashMap<(String, String), i32>);

impl CategoryIds {
    async fn read(txn: &DatabaseTransaction) -> AppResult<Self> {
        let pages: HashMap<i32, String> = page::Entity::find()
            .all(txn)
            .await?
            .into_iter()
            .map(|p| (p.id, p.slug))
            .collect();
        let categories = category::Entity::find().all(txn).await?;
        Ok(CategoryIds(
            categories
                .into_iter()
                .filter_map(|c| Some(((pages.get(&c.page_id)?.clone(), c.slug), c.id)))
                .collect(),
        ))
    }

    fn find(&self, page: &str, category: &str) -> AppResult<i32> {
        self.0
            .get(&(page.to_owned(), category.to_owned()))
            .copied()
            .ok_or_else(|| {
                AppError::field(
                    "published_place.category",
                    format!("There is no category '{category}' on the page '{page}'"),
                )
            })
    }
}

/// A page of the document saved with its categories, waiting for its
/// questions.
struct PlacedPage {
    page: page::Model,
    /// The category each of the document's categories was saved to, in order.
    categories: Vec<category::Model>,
    /// Whether the import changed anything on the page.
    changed: bool,
}

impl Import<'_> {
    /// A page of the document with its categories, each in the document's
    /// order.
    async fn page_and_categories(&mut self, doc: &PageDocument) -> AppResult<PlacedPage> {
        let before = self.report.clone();
        let page = self.upsert_page(doc).await?;
        let on_the_page = category::Entity::find().filter(category::Column::PageId.eq(page.id));
        let mut existing = by_slug(self.txn, on_the_page, |c| c.slug.clone()).await?;
        let mut categories = Vec::with_capacity(doc.categories.len());
        for (index, cat_doc) in doc.categories.iter().enumerate() {
            let found = existing.remove(&cat_doc.slug);
            let position = index as i32 + 1;
            let category = self
                .upsert_category(cat_doc, found, page.id, position)
                .await?;
            categories.push(category);
        }
        let changed = self.report != before;
        Ok(PlacedPage {
            page,
            categories,
            changed,
        })
    }

    /// The questions of a page of the document, each in its category's order.
    async fn questions(
        &mut self,
        doc: &PageDocument,
        placed: &mut PlacedPage,
        category_ids: &CategoryIds,
    ) -> AppResult<()> {
        let before = self.report.clone();
        let page_id = placed.page.id;
        let on_the_page = question::Entity::find().filter(question::Column::PageId.eq(page_id));
        let mut questions = by_slug(self.txn, on_the_page, |q| q.slug.clone()).await?;
        for (cat_doc, category) in doc.categories.iter().zip(&placed.categories) {
            for (q_index, q_doc) in cat_doc.questions.iter().enumerate() {
                let target = QuestionTarget {
                    page_id,
                    category_id: category.id,
                    position: q_index as i32 + 1,
                };
                let published_category = match &q_doc.published_place {
                    Some(place) => match &place.category {
                        Some(slug) => {
                            let page = place.page.as_deref().unwrap_or(&doc.slug);
                            Some(category_ids.find(page, slug)?)
                        }
                        None => None,
                    },
                    None => None,
                };
                let existing = questions.remove(&q_doc.slug);
                self.upsert_question(q_doc, existing, target, published_category)
                    .await?;
            }
        }
        placed.changed |= self.report != before;
        Ok(())
    }

    /// The page's updates: those the document lists that the page lacks, or,
    /// from an older file that lists none, one for the import itself when it
    /// changed what is on the page.
    async fn updates(&mut self, doc: &PageDocument, placed: &PlacedPage) -> AppResult<()> {
        let page_id = placed.page.id;
        let Some(updates) = &doc.updates else {
            // An import publishes what it brings: readers' "Last updated".
            if placed.changed {
                super::page_updates::record(self.txn, self.viewer, page_id, now(), None).await?;
            }
            return Ok(());
        };
        let mut known: Vec<(DateTime<Utc>, Option<String>)> = page_update::Entity::find()
            .filter(page_update::Column::PageId.eq(page_id))
            .all(self.txn)
            .await?
            .into_iter()
            .map(|u| (u.published_at, u.note))
            .collect();
        for update in updates {
            let entry = (update.published_at, update.note.clone());
            if let Some(at) = known.iter().position(|k| *k == entry) {
                known.swap_remove(at);
                continue;
            }
            let (at, note) = entry;
            super::page_updates::record(self.txn, self.viewer, page_id, at, note).await?;
        }
        Ok(())
    }

    /// One item of the document saved to its row: `first` (a first
    /// version holding the item's identity) when there is no row yet,
    /// otherwise the `existing` row, left as it is when `matches` says the
    /// document already agrees with it. `fill` sets the content the
    /// document gives; it sees the row as it was, if there was one. Every
    /// save keeps a revision noted with the import's note.
    async fn save<A>(
        &self,
        existing: Option<<A::Entity as EntityTrait>::Model>,
        matches: impl FnOnce(&<A::Entity as EntityTrait>::Model) -> bool,
        first: A,
        fill: impl FnOnce(&mut A, Option<&<A::Entity as EntityTrait>::Model>),
    ) -> AppResult<(<A::Entity as EntityTrait>::Model, Saved)>
    where
        A: ActiveModelTrait + ActiveModelBehavior + Send,
        A::Entity: Revisioned,
        <A::Entity as EntityTrait>::Model: IntoActiveModel<A> + Clone,
    {
        let (txn, viewer) = (self.txn, self.viewer);
        let (row, saved) = match existing {
            Some(row) if matches(&row) => return Ok((row, Saved::Unchanged)),
            None => {
                let mut active = first;
                fill(&mut active, None);
                (active.insert(txn).await?, Saved::Created)
            }
            Some(row) => {
                let version = A::Entity::version_of(&row) + 1;
                let mut active = row.clone().into_active_model();
                fill(&mut active, Some(&row));
                let saved = save_next_version(txn, viewer, active, version, now()).await?;
                (saved, Saved::Updated)
            }
        };
        let (id, version) = (A::Entity::id_of(&row), A::Entity::version_of(&row));
        let snapshot = A::Entity::snapshot(&row);
        let (note, change) = (Some(self.note), Change::ContentImported.action());
        revisions::record(
            txn,
            viewer,
            A::Entity::NAME,
            id,
            version,
            snapshot,
            note,
            change,
        )
        .await?;
        Ok((row, saved))
    }

    /// The page as the document has it: created, changed, or left as it is
    /// when its content already matches.
    async fn upsert_page(&mut self, doc: &PageDocument) -> AppResult<page::Model> {
        let at = now();
        // Without its published text, an import publishes what it brings.
        let published = doc.published.clone().unwrap_or(PublishedPageDocument {
            title: Some(doc.title.clone()),
            intro: Some(doc.intro.clone()),
            footer: Some(doc.footer.clone()),
        });
        let existing = page::Entity::find()
            .filter(page::Column::Slug.eq(&doc.slug))
            .one(self.txn)
            .await?;
        let matches = |row: &page::Model| {
            row.title == doc.title
                && row.intro == doc.intro
                && row.footer == doc.footer
                && row.status == doc.status
                && row.retirement_notice == doc.retirement_notice
                && row.replacement_url == doc.replacement_url
                && row.redirect_to_replacement == doc.redirect_to_replacement
                && row.retire_at == doc.retire_at
                && row.retired_at == doc.retired_at
                && row.published_title == published.title
                && row.published_intro == published.intro
                && row.published_footer == published.footer
        };
        let first = first_version!(page::ActiveModel {
            slug: Set(doc.slug.clone()),
        }, by: self.viewer, created: doc.created_at.unwrap_or(at), at: at);
        let fill = |active: &mut page::ActiveModel, _: Option<&page::Model>| {
            active.title = Set(doc.title.clone());
            active.intro = Set(doc.intro.clone());
            active.footer = Set(doc.footer.clone());
            active.published_title = Set(published.title.clone());
            active.published_intro = Set(published.intro.clone());
            active.published_footer = Set(published.footer.clone());
            active.status = Set(doc.status);
            active.retirement_notice = Set(doc.retirement_notice.clone());
            active.replacement_url = Set(doc.replacement_url.clone());
            active.redirect_to_replacement = Set(doc.redirect_to_replacement);
            active.retire_at = Set(doc.retire_at);
            active.retired_at = Set(doc.retired_at);
        };
        let (row, saved) = self.save(existing, matches, first, fill).await?;
        self.report.pages.add(saved);
        Ok(row)
    }

    /// The category as the document has it, at `position` on page `page_id`.
    async fn upsert_category(
        &mut self,
        doc: &CategoryDocument,
        existing: Option<category::Model>,
        page_id: i32,
        position: i32,
    ) -> AppResult<category::Model> {
        let at = now();
        // Without its published values, an import shows what it brings.
        let published = doc.published.clone().unwrap_or(PublishedCategoryDocument {
            title: Some(doc.title.clone()),
            slug: Some(doc.slug.clone()),
            position: Some(position),
        });
        let matches = |row: &category::Model| {
            row.title == doc.title
                && row.position == position
                && row.archived_at.is_some() == doc.archived_at.is_some()
                && row.published_title == published.title
                && row.published_slug == published.slug
                && row.published_position == published.position
        };
        let first = first_version!(category::ActiveModel {
            page_id: Set(page_id),
            slug: Set(doc.slug.clone()),
        }, by: self.viewer, created: doc.created_at.unwrap_or(at), at: at);
        let fill = |active: &mut category::ActiveModel, before: Option<&category::Model>| {
            active.title = Set(doc.title.clone());
            active.position = Set(position);
            active.published_title = Set(published.title.clone());
            active.published_slug = Set(published.slug.clone());
            active.published_position = Set(published.position);
            // Archived before and still archived: it keeps its first date.
            let archived_before = before.and_then(|row| row.archived_at);
            active.archived_at = Set(match (archived_before, doc.archived_at) {
                (Some(kept), Some(_)) => Some(kept),
                (_, wanted) => wanted,
            });
        };
        let (row, saved) = self.save(existing, matches, first, fill).await?;
        self.report.categories.add(saved);
        Ok(row)
    }

    /// The question as the document has it, at `target`; readers see it in
    /// `published_category` when the document gives its published place.
    async fn upsert_question(
        &mut self,
        doc: &QuestionDocument,
        existing: Option<question::Model>,
        target: QuestionTarget,
        published_category: Option<i32>,
    ) -> AppResult<()> {
        let at = now();
        let viewer = self.viewer;
        // A published question with no separate live text publishes its working copy.
        let (live_question, live_answer) = match (doc.status, &doc.live_question, &doc.live_answer)
        {
            (_, Some(q), Some(a)) => (Some(q.clone()), Some(a.clone())),
            (QuestionStatus::Published, _, _) => {
                (Some(doc.question.clone()), Some(doc.answer.clone()))
            }
            _ => (None, None),
        };
        let published_at = match (live_question.is_some(), doc.published_at) {
            (true, None) => Some(at),
            (_, given) => given,
        };
        // Where readers see it: as the document says, or, without that, where
        // it stands once it has live text.
        let (published_slug, published_position) = match &doc.published_place {
            Some(place) => (place.slug.clone(), place.position),
            None if live_question.is_some() => (Some(doc.slug.clone()), Some(target.position)),
            None => (None, None),
        };
        let published_category = match &doc.published_place {
            Some(_) => published_category,
            None => live_question.is_some().then_some(target.category_id),
        };
        let matches = |row: &question::Model| {
            row.category_id == target.category_id
                && row.position == target.position
                && row.status == doc.status
                && row.question == doc.question
                && row.answer == doc.answer
                && row.live_question == live_question
                && row.live_answer == live_answer
                && row.publish_at == doc.publish_at
                && row.expire_at == doc.expire_at
                && row.archived_at.is_some() == doc.archived_at.is_some()
                && row.published_category_id == published_category
                && row.published_slug == published_slug
                && row.published_position == published_position
        };
        let first = first_version!(question::ActiveModel {
            page_id: Set(target.page_id),
            slug: Set(doc.slug.clone()),
        }, by: viewer, created: doc.created_at.unwrap_or(at), at: at);
        let fill = |active: &mut question::ActiveModel, before: Option<&question::Model>| {
            // A new or changed live copy went live at `published_at`, by the importer.
            let live_changed = before.is_none_or(|row| {
                row.live_question != live_question || row.live_answer != live_answer
            });
            if live_changed {
                active.published_at = Set(published_at);
                active.published_by = Set(published_at.and(viewer.user_id()));
            }
            active.category_id = Set(target.category_id);
            active.position = Set(target.position);
            active.published_category_id = Set(published_category);
            active.published_slug = Set(published_slug.clone());
            active.published_position = Set(published_position);
            active.status = Set(doc.status);
            active.question = Set(doc.question.clone());
            active.answer = Set(doc.answer.clone());
            active.answer_html = Set(markdown::to_html(&doc.answer));
            active.live_answer_html = Set(live_answer.as_deref().map(markdown::to_html));
            active.live_question = Set(live_question.clone());
            active.live_answer = Set(live_answer.clone());
            active.publish_at = Set(doc.publish_at);
            active.expire_at = Set(doc.expire_at);
            active.archived_at = Set(doc.archived_at);
        };
        let (_, saved) = self.save(existing, matches, first, fill).await?;
        self.report.questions.add(saved);
        Ok(())
    }
}

/// Saves `active` as `version` of its row, changed at `at` by `viewer`.
async fn save_next_version<A>(
    txn: &DatabaseTransaction,
    viewer: &Viewer,
    mut active: A,
    version: i32,
    at: DateTime<Utc>,
) -> AppResult<<A::Entity as EntityTrait>::Model>
where
    A: ActiveModelTrait + ActiveModelBehavior + Send,
    A::Entity: Versioned,
    <A::Entity as EntityTrait>::Model: IntoActiveModel<A>,
{
    active.try_set(A::Entity::VERSION, version.into())?;
    active.try_set(A::Entity::UPDATED_AT, at.into())?;
    if let Some(updated_by) = A::Entity::UPDATED_BY {
        active.try_set(updated_by, viewer.user_id().into())?;
    }
    Ok(active.update(txn).await?)
}

/// Every row, grouped by parent and in position order under each.
async fn in_display_order<E: Content>(db: &Db) -> AppResult<Vec<E::Model>> {
    Ok(E::find()
        .order_by_asc(E::PARENT)
        .order_by_asc(E::POSITION)
        .order_by_asc(E::ID)
        .all(db)
        .await?)
}

/// Each row's place in its parent's list, counted from 1 in display order:
/// the position an import gives it.
fn numbered<R>(key: impl Fn(&R) -> i32) -> impl FnMut(&R) -> i32 {
    let mut counts: HashMap<i32, i32> = HashMap::new();
    move |row| {
        let count = counts.entry(key(row)).or_default();
        *count += 1;
        *count
    }
}

/// Every page with all of its content, drafts and archived items included,
/// with what readers see where it is not the working copy, and each page's
/// updates: an import into an empty database gives back the same state.
pub async fn export(db: &Db) -> AppResult<ExportFile> {
    let pages = page::Entity::find()
        .order_by_asc(page::Column::Id)
        .all(db)
        .await?;
    let categories = in_display_order::<category::Entity>(db).await?;
    let questions = in_display_order::<question::Entity>(db).await?;
    let updates = page_update::Entity::find()
        .order_by_asc(page_update::Column::Id)
        .all(db)
        .await?;
    let page_slugs: HashMap<i32, String> = pages.iter().map(|p| (p.id, p.slug.clone())).collect();
    let category_places: HashMap<i32, (i32, String)> = categories
        .iter()
        .map(|c| (c.id, (c.page_id, c.slug.clone())))
        .collect();

    let mut question_position = numbered(|q: &question::Model| q.category_id);
    let mut questions_by_category = grouped(
        questions,
        |q| q.category_id,
        |q| {
            let position = question_position(&q);
            // Where an import would put it without being told.
            let seen = q.live_question.is_some();
            let derived = (
                seen.then_some(q.category_id),
                seen.then(|| q.slug.clone()),
                seen.then_some(position),
            );
            let published = (
                q.published_category_id,
                q.published_slug.clone(),
                q.published_position,
            );
            let published_place = (published != derived).then(|| {
                let category = q
                    .published_category_id
                    .and_then(|id| category_places.get(&id));
                PublishedPlaceDocument {
                    category: category.map(|(_, slug)| slug.clone()),
                    page: category
                        .filter(|(page_id, _)| *page_id != q.page_id)
                        .and_then(|(page_id, _)| page_slugs.get(page_id).cloned()),
                    slug: q.published_slug.clone(),
                    position: q.published_position,
                }
            });
            QuestionDocument {
                slug: q.slug,
                question: q.question,
                answer: q.answer,
                status: q.status,
                live_question: q.live_question,
                live_answer: q.live_answer,
                publish_at: q.publish_at,
                expire_at: q.expire_at,
                published_at: q.published_at,
                archived_at: q.archived_at,
                created_at: Some(q.created_at),
                published_place,
            }
        },
    );
    let mut category_position = numbered(|c: &category::Model| c.page_id);
    let mut categories_by_page = grouped(
        categories,
        |c| c.page_id,
        |c| {
            let position = category_position(&c);
            let published = PublishedCategoryDocument {
                title: c.published_title,
                slug: c.published_slug,
                position: c.published_position,
            };
            let shown_as_it_stands = PublishedCategoryDocument {
                title: Some(c.title.clone()),
                slug: Some(c.slug.clone()),
                position: Some(position),
            };
            CategoryDocument {
                questions: questions_by_category.remove(&c.id).unwrap_or_default(),
                slug: c.slug,
                title: c.title,
                archived_at: c.archived_at,
                created_at: Some(c.created_at),
                published: (published != shown_as_it_stands).then_some(published),
            }
        },
    );
    let mut updates_by_page = grouped(
        updates,
        |u| u.page_id,
        |u| PageUpdateDocument {
            published_at: u.published_at,
            note: u.note,
        },
    );
    let mut docs = Vec::with_capacity(pages.len());
    for p in pages {
        let published = PublishedPageDocument {
            title: p.published_title,
            intro: p.published_intro,
            footer: p.published_footer,
        };
        let published_as_it_stands = PublishedPageDocument {
            title: Some(p.title.clone()),
            intro: Some(p.intro.clone()),
            footer: Some(p.footer.clone()),
        };
        docs.push(PageDocument {
            categories: categories_by_page.remove(&p.id).unwrap_or_default(),
            updates: Some(updates_by_page.remove(&p.id).unwrap_or_default()),
            published: (published != published_as_it_stands).then_some(published),
            status: p.status,
            slug: p.slug,
            title: p.title,
            intro: p.intro,
            footer: p.footer,
            retirement_notice: p.retirement_notice,
            replacement_url: p.replacement_url,
            redirect_to_replacement: p.redirect_to_replacement,
            retire_at: p.retire_at,
            retired_at: p.retired_at,
            created_at: Some(p.created_at),
        });
    }
    Ok(ExportFile {
        format: EXPORT_FORMAT.to_owned(),
        pages: docs,
    })
}
