//! Output types for staff: users, revisions, diffs, audit events, and the
//! cursor connections that list them.

use async_graphql::connection::{Connection, Edge, EmptyFields};
use async_graphql::{Context, Object, OutputType, Result, SimpleObject, ID};
use chrono::{DateTime, Utc};
use entity::{audit_event, revision, user};

use super::enums::{DiffKind, RevisionAction, RevisionItemType};
use super::loaders::{self, UserById};
use super::types::{loader, loader_error};
use super::Gql;
use crate::service::audit_log::{self, TargetKind, TargetSummary};
use crate::service::history;
use crate::service::revisions::{self, DiffSegment as DiffPart, QuestionSnapshot};

/// Extra fields on every connection.
#[derive(SimpleObject)]
pub struct ConnectionTotals {
    /// How many items match, across all pages.
    pub total_count: u64,
}

pub type CountedConnection<N> = Connection<String, N, ConnectionTotals, EmptyFields>;
pub type AuditEventConnection = CountedConnection<AuditEvent>;
pub type RevisionConnection = CountedConnection<Revision>;

/// Builds a newest-first connection from rows fetched with `limit + 1`
/// (the extra row, if present, says there is a next page).
pub fn connection<R, N: OutputType>(
    mut rows: Vec<R>,
    total: u64,
    limit: u64,
    has_previous: bool,
    id: impl Fn(&R) -> i32,
    wrap: impl Fn(R) -> N,
) -> CountedConnection<N> {
    let has_next = rows.len() as u64 > limit;
    rows.truncate(limit as usize);
    let mut connection = Connection::with_additional_fields(
        has_previous,
        has_next,
        ConnectionTotals { total_count: total },
    );
    connection.edges.extend(
        rows.into_iter()
            .map(|row| Edge::new(id(&row).to_string(), wrap(row))),
    );
    connection
}

/// A member of staff.
pub struct User(pub user::Model);

#[Object]
impl User {
    async fn id(&self) -> ID {
        ID(self.0.id.to_string())
    }

    async fn email(&self) -> &str {
        &self.0.email
    }

    async fn display_name(&self) -> &str {
        &self.0.display_name
    }

    async fn role(&self) -> super::enums::Role {
        self.0.role.into()
    }

    /// A disabled user cannot sign in.
    async fn disabled(&self) -> bool {
        self.0.disabled
    }

    /// What this user's role lets them do (nothing while disabled).
    async fn can(&self) -> super::types::UserCan {
        super::types::UserCan::of(self.0.role, self.0.disabled)
    }

    async fn last_sign_in_at(&self) -> Option<DateTime<Utc>> {
        self.0.last_sign_in_at
    }

    /// Whether this user signs in with a code from an authenticator app as
    /// well as their password. Only the user themself and admins may know;
    /// null for anyone else.
    async fn two_factor_enabled(&self, ctx: &Context<'_>) -> Result<Option<bool>> {
        let found = loader(ctx)
            .load_one(loaders::SecondFactorOfUser(self.0.id))
            .await;
        found.map_err(loader_error)
    }

    /// How many of this user's one-time recovery codes are unused. Only
    /// the user themself and admins may know; null for anyone else.
    async fn recovery_codes_left(&self, ctx: &Context<'_>) -> Result<Option<i32>> {
        let left = crate::service::two_factor::recovery_codes_left_for(
            super::query::db(ctx),
            super::query::viewer(ctx),
            self.0.id,
        )
        .await
        .gql()?;
        Ok(left.map(|n| n as i32))
    }

    /// Send it back with changes to this user.
    async fn version(&self) -> i32 {
        self.0.version
    }
}

/// Who made a change, as far as others need to know (batched: a list of
/// revisions or events loads its people in one query).
pub(crate) async fn author(ctx: &Context<'_>, id: Option<i32>) -> Result<Option<User>> {
    let Some(id) = id else { return Ok(None) };
    let user = loader(ctx).load_one(UserById(id)).await;
    Ok(user.map_err(loader_error)?.map(User))
}

/// An immutable snapshot taken when a page, category or question was saved.
pub struct Revision {
    pub row: revision::Model,
    /// Its text is what readers see now.
    pub live: bool,
}

impl Revision {
    pub fn new(row: revision::Model) -> Self {
        Revision { row, live: false }
    }

    fn snapshot_text(&self, field: &str) -> Option<String> {
        let snapshot: serde_json::Value = serde_json::from_str(&self.row.snapshot).ok()?;
        snapshot.get(field)?.as_str().map(str::to_owned)
    }

    fn question_snapshot(&self) -> Result<Option<QuestionSnapshot>> {
        if self.row.item_type != "question" {
            return Ok(None);
        }
        Ok(Some(QuestionSnapshot::parse(&self.row.snapshot).gql()?))
    }
}

#[Object]
impl Revision {
    async fn id(&self) -> ID {
        ID(self.row.id.to_string())
    }

    /// The item's version this revision recorded.
    async fn version(&self) -> i32 {
        self.row.item_version
    }

    async fn created_at(&self) -> DateTime<Utc> {
        self.row.created_at
    }

    /// Null for changes made by the system (imports, the command line, the schedule).
    async fn author(&self, ctx: &Context<'_>) -> Result<Option<User>> {
        author(ctx, self.row.author_id).await
    }

    async fn note(&self) -> Option<&str> {
        self.row.note.as_deref()
    }

    /// What happened to make this revision.
    async fn action(&self) -> RevisionAction {
        revisions::action_of(&self.row).into()
    }

    /// True for the question revision whose text readers see now (at most
    /// one per question; none while it is not published). Always false for
    /// pages and categories.
    async fn live(&self) -> bool {
        self.live
    }

    /// What was saved: the page, one of its categories, or a question.
    async fn item_type(&self) -> RevisionItemType {
        match self.row.item_type.as_str() {
            "page" => RevisionItemType::Page,
            "category" => RevisionItemType::Category,
            _ => RevisionItemType::Question,
        }
    }

    /// The item's id.
    async fn item_id(&self) -> ID {
        ID(self.row.item_id.to_string())
    }

    /// The page's or category's title at this revision; the question text
    /// for a question.
    async fn title(&self) -> Option<String> {
        self.snapshot_text("title")
            .or_else(|| self.snapshot_text("question"))
    }

    /// The category's or question's 1-based place at this revision; null for a page.
    async fn position(&self) -> Option<i32> {
        let snapshot: serde_json::Value = serde_json::from_str(&self.row.snapshot).ok()?;
        snapshot.get("position")?.as_i64().map(|p| p as i32)
    }

    /// The question text at this revision; null for pages and categories.
    async fn question(&self) -> Result<Option<String>> {
        Ok(self.question_snapshot()?.map(|s| s.question))
    }

    /// The answer (Markdown) at this revision; null for pages and categories.
    async fn answer(&self) -> Result<Option<String>> {
        Ok(self.question_snapshot()?.map(|s| s.answer))
    }
}

/// A run of words that is the same, added or removed between two revisions.
pub struct DiffSegment(pub DiffPart);

#[Object]
impl DiffSegment {
    async fn kind(&self) -> DiffKind {
        self.0.kind.into()
    }

    async fn text(&self) -> &str {
        &self.0.text
    }
}

/// Word-level differences between two versions of a question.
#[derive(SimpleObject)]
pub struct RevisionDiff {
    pub question: Vec<DiffSegment>,
    pub answer: Vec<DiffSegment>,
    /// True when nothing was added or removed.
    pub identical: bool,
}

/// Segments as the schema gives them.
fn segments(parts: Vec<DiffPart>) -> Vec<DiffSegment> {
    parts.into_iter().map(DiffSegment).collect()
}

impl From<revisions::QuestionDiff> for RevisionDiff {
    fn from(diff: revisions::QuestionDiff) -> Self {
        let identical = diff.identical();
        let (question, answer) = (segments(diff.question), segments(diff.answer));
        RevisionDiff {
            question,
            answer,
            identical,
        }
    }
}

/// Word-level differences in a page's own text.
#[derive(SimpleObject)]
pub struct PageDiff {
    pub title: Vec<DiffSegment>,
    pub intro: Vec<DiffSegment>,
    pub footer: Vec<DiffSegment>,
    /// True when nothing was added or removed.
    pub identical: bool,
}

impl From<history::PageDiff> for PageDiff {
    fn from(diff: history::PageDiff) -> Self {
        let identical = diff.identical();
        PageDiff {
            title: segments(diff.title),
            intro: segments(diff.intro),
            footer: segments(diff.footer),
            identical,
        }
    }
}

/// Something someone did.
pub struct AuditEvent(pub audit_event::Model);

#[Object]
impl AuditEvent {
    async fn id(&self) -> ID {
        ID(self.0.id.to_string())
    }

    async fn occurred_at(&self) -> DateTime<Utc> {
        self.0.occurred_at
    }

    /// Who did it; null for anonymous attempts, the scheduler and the command line.
    async fn actor(&self, ctx: &Context<'_>) -> Result<Option<User>> {
        author(ctx, self.0.actor_id).await
    }

    /// Who did it, for people: the actor's display name, or `Scheduled`,
    /// `System` or `Anonymous` when no user did.
    async fn actor_name(&self, ctx: &Context<'_>) -> Result<String> {
        let actor = author(ctx, self.0.actor_id).await?;
        Ok(audit_log::actor_name(&self.0, actor.as_ref().map(|u| &u.0)))
    }

    /// What was done, e.g. `question.publish`.
    async fn action(&self) -> &str {
        &self.0.action
    }

    async fn target_type(&self) -> Option<&str> {
        self.0.target_type.as_deref()
    }

    async fn target_id(&self) -> Option<&str> {
        self.0.target_id.as_deref()
    }

    /// The item it was done to, as it is now; null when the event names
    /// none (an import, a failed sign-in for an unknown email).
    async fn target(&self, ctx: &Context<'_>) -> Result<Option<AuditTarget>> {
        let Some((kind, id)) = TargetKind::of(&self.0) else {
            return Ok(None);
        };
        let found = loader(ctx).load_one(loaders::AuditTarget(kind, id)).await;
        Ok(Some(AuditTarget::new(
            kind,
            id,
            found.map_err(loader_error)?,
        )))
    }

    /// Details as a JSON object.
    async fn detail(&self) -> &str {
        &self.0.detail
    }

    async fn client_address(&self) -> Option<&str> {
        self.0.client_addr.as_deref()
    }
}

/// What an audit event was done to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, async_graphql::Enum)]
pub enum AuditTargetKind {
    Question,
    Page,
    Category,
    User,
    Webhook,
}

impl From<TargetKind> for AuditTargetKind {
    fn from(kind: TargetKind) -> Self {
        match kind {
            TargetKind::Question => AuditTargetKind::Question,
            TargetKind::Page => AuditTargetKind::Page,
            TargetKind::Category => AuditTargetKind::Category,
            TargetKind::User => AuditTargetKind::User,
            TargetKind::Webhook => AuditTargetKind::Webhook,
        }
    }
}

/// The item an audit event was done to, as it is now.
#[derive(SimpleObject)]
pub struct AuditTarget {
    pub kind: AuditTargetKind,
    pub id: ID,
    /// What a person calls it now: a question's text, a page's or
    /// category's title, a user's display name, a webhook's description or
    /// URL. Null once the item has been deleted.
    pub title: Option<String>,
    /// The slug of the page it is on (for a page, its own), for links to
    /// pages and categories. Null for users, webhooks and deleted items.
    pub page_slug: Option<String>,
}

impl AuditTarget {
    fn new(kind: TargetKind, id: i32, found: Option<TargetSummary>) -> Self {
        let (title, page_slug) = match found {
            Some(summary) => (Some(summary.title), summary.page_slug),
            None => (None, None),
        };
        AuditTarget {
            kind: kind.into(),
            id: ID(id.to_string()),
            title,
            page_slug,
        }
    }
}
