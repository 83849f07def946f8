//! The one versioned write every change goes through: `WHERE id = ? AND
//! version = ?`, the version bumped and the row stamped, then read back so
//! that a write that changed nothing can say why.

use entity::{category, page, question, user, webhook};
use sea_orm::sea_query::{Expr, ExprTrait};
use sea_orm::{
    ColumnTrait, ConnectionTrait, DatabaseTransaction, DbErr, EntityTrait, QueryFilter, QueryOrder,
    QuerySelect, UpdateMany,
};

use super::changes::{self, Event};
use super::Db;
use super::{constraints, now, published, revisions};
use crate::domain::Viewer;
use crate::error::{AppError, AppResult};
use serde_json::json;

/// An entity whose rows carry a version that every change checks and bumps.
pub trait Versioned: EntityTrait {
    /// The item's name in messages, revisions and audit events.
    const NAME: &'static str;
    const ID: Self::Column;
    const VERSION: Self::Column;
    const UPDATED_AT: Self::Column;
    /// Who changed it last, for the entities that keep it.
    const UPDATED_BY: Option<Self::Column>;
    fn id_of(row: &Self::Model) -> i32;
    fn version_of(row: &Self::Model) -> i32;
}

/// An entity whose every change keeps a revision.
pub trait Revisioned: Versioned {
    fn snapshot(row: &Self::Model) -> serde_json::Value;
    /// What the audit entry of any change to it keeps.
    fn summary(row: &Self::Model) -> serde_json::Value;
}

/// Content ordered among its siblings under a parent.
pub trait Content: Revisioned {
    const POSITION: Self::Column;
    const PARENT: Self::Column;
    /// Where readers see it (see `published`): its published position, and
    /// its published parent when it can move to another.
    const PUBLISHED_POSITION: Self::Column;
    const PUBLISHED_PARENT: Option<Self::Column>;
    fn parent_of(row: &Self::Model) -> i32;
    /// The row as readers see it.
    fn as_readers_see(row: Self::Model) -> Self::Model;
}

macro_rules! versioned {
    ($module:ident, $name:literal, $by:expr) => {
        impl Versioned for $module::Entity {
            const NAME: &'static str = $name;
            const ID: $module::Column = $module::Column::Id;
            const VERSION: $module::Column = $module::Column::Version;
            const UPDATED_AT: $module::Column = $module::Column::UpdatedAt;
            const UPDATED_BY: Option<$module::Column> = $by;
            fn id_of(row: &$module::Model) -> i32 {
                row.id
            }
            fn version_of(row: &$module::Model) -> i32 {
                row.version
            }
        }
    };
}

versioned!(question, "question", Some(question::Column::UpdatedBy));
versioned!(category, "category", Some(category::Column::UpdatedBy));
versioned!(page, "page", Some(page::Column::UpdatedBy));
versioned!(user, "user", None);
versioned!(webhook, "webhook", None);

impl Revisioned for question::Entity {
    fn snapshot(row: &question::Model) -> serde_json::Value {
        revisions::question_snapshot(row)
    }
    fn summary(row: &question::Model) -> serde_json::Value {
        json!({ "version": row.version, "slug": row.slug })
    }
}

impl Revisioned for category::Entity {
    fn snapshot(row: &category::Model) -> serde_json::Value {
        revisions::category_snapshot(row)
    }
    fn summary(row: &category::Model) -> serde_json::Value {
        json!({ "version": row.version, "slug": row.slug })
    }
}

impl Revisioned for page::Entity {
    fn snapshot(row: &page::Model) -> serde_json::Value {
        revisions::page_snapshot(row)
    }
    fn summary(row: &page::Model) -> serde_json::Value {
        json!({ "version": row.version, "slug": row.slug, "status": row.status })
    }
}

impl Content for question::Entity {
    const POSITION: question::Column = question::Column::Position;
    const PARENT: question::Column = question::Column::CategoryId;
    const PUBLISHED_POSITION: question::Column = question::Column::PublishedPosition;
    const PUBLISHED_PARENT: Option<question::Column> = Some(question::Column::PublishedCategoryId);
    fn parent_of(row: &question::Model) -> i32 {
        row.category_id
    }
    fn as_readers_see(row: question::Model) -> question::Model {
        published::question(row)
    }
}

impl Content for category::Entity {
    const POSITION: category::Column = category::Column::Position;
    const PARENT: category::Column = category::Column::PageId;
    const PUBLISHED_POSITION: category::Column = category::Column::PublishedPosition;
    // Categories stay on their page.
    const PUBLISHED_PARENT: Option<category::Column> = None;
    fn parent_of(row: &category::Model) -> i32 {
        row.page_id
    }
    fn as_readers_see(row: category::Model) -> category::Model {
        published::category(row)
    }
}

/// What a versioned write found: whether it changed the row, and the row
/// as it is now (if it still exists).
pub struct Attempt<E: Versioned> {
    pub changed: bool,
    pub row: Option<E::Model>,
    version: i32,
}

impl<E: Versioned> Attempt<E> {
    pub fn new(changed: bool, row: Option<E::Model>, version: i32) -> Self {
        Attempt {
            changed,
            row,
            version,
        }
    }

    /// The changed row, or why nothing changed: the row is gone
    /// (NOT_FOUND), someone else saved first (CONFLICT), or the change does
    /// not apply in the row's current state (`refusal`).
    pub fn checked(self, refusal: impl FnOnce(&E::Model) -> AppError) -> AppResult<E::Model> {
        let row = self
            .row
            .ok_or_else(|| AppError::NotFound(format!("There is no {} with this id.", E::NAME)))?;
        if !self.changed {
            let current = E::version_of(&row);
            return Err(if current != self.version {
                AppError::conflict(E::NAME, current)
            } else {
                refusal(&row)
            });
        }
        Ok(row)
    }
}

/// Runs `update` on row `id` only while it is still at `version`, bumping
/// the version and stamping the time (and who, where the entity keeps who
/// changed it and a person did).
pub async fn write<E: Versioned>(
    conn: &impl ConnectionTrait,
    viewer: &Viewer,
    id: i32,
    version: i32,
    update: UpdateMany<E>,
) -> Result<Attempt<E>, DbErr> {
    let mut update = update
        .col_expr(E::VERSION, Expr::col(E::VERSION).add(1))
        .col_expr(E::UPDATED_AT, Expr::value(now()));
    if let (Some(user_id), Some(column)) = (viewer.user_id(), E::UPDATED_BY) {
        update = update.col_expr(column, Expr::value(user_id));
    }
    let result = update
        .filter(E::ID.eq(id))
        .filter(E::VERSION.eq(version))
        .exec(conn)
        .await?;
    let row = E::find().filter(E::ID.eq(id)).one(conn).await?;
    Ok(Attempt::new(result.rows_affected == 1, row, version))
}

/// `write`, then the changed row or why nothing changed (see
/// `Attempt::checked`); a clash with a unique constraint is the client's
/// mistake, named by field.
pub async fn write_checked<E: Versioned>(
    conn: &impl ConnectionTrait,
    viewer: &Viewer,
    id: i32,
    version: i32,
    update: UpdateMany<E>,
    refusal: impl FnOnce(&E::Model) -> AppError,
) -> AppResult<E::Model> {
    write(conn, viewer, id, version, update)
        .await
        .map_err(constraints::on_write)?
        .checked(refusal)
}

/// A new item, whole: inserts `row` (a clash with a unique constraint is
/// the client's mistake), keeps its first revision and records the change
/// `made` to it, then commits.
pub async fn create<E, A>(
    txn: DatabaseTransaction,
    viewer: &Viewer,
    row: A,
    made: impl FnOnce(i32) -> crate::domain::Change,
) -> AppResult<E::Model>
where
    E: Revisioned,
    A: sea_orm::ActiveModelTrait<Entity = E> + sea_orm::ActiveModelBehavior + Send,
    E::Model: sea_orm::IntoActiveModel<A>,
{
    let row = row.insert(&txn).await.map_err(constraints::on_write)?;
    let event = Event::new(made(E::id_of(&row)));
    finish::<E>(txn, viewer, &row, event).await?;
    Ok(row)
}

/// A change that is only a versioned update, whole: in one write
/// transaction the update (or why it cannot be made), the revision and the
/// event.
pub async fn change<E: Revisioned>(
    db: &Db,
    viewer: &Viewer,
    id: i32,
    version: i32,
    update: UpdateMany<E>,
    refusal: impl FnOnce(&E::Model) -> AppError,
    event: Event,
) -> AppResult<E::Model> {
    let (txn, _turn) = crate::db::begin_write(db).await?;
    let row = write_checked(&txn, viewer, id, version, update, refusal).await?;
    finish::<E>(txn, viewer, &row, event).await?;
    Ok(row)
}

/// Records a content change: a revision of `row` (with the event's note
/// and the name of its change, so the history says what happened) and its
/// event (whose detail gains the row's summary), then commits. A
/// change made on schedule says so in the revision's note.
pub async fn finish<E: Revisioned>(
    txn: DatabaseTransaction,
    viewer: &Viewer,
    row: &E::Model,
    event: Event,
) -> AppResult<()> {
    record::<E>(&txn, viewer, row, event).await?;
    txn.commit().await?;
    Ok(())
}

/// `finish` for one change among several in a transaction its caller
/// commits: the revision of `row` and its event.
pub async fn record<E: Revisioned>(
    txn: &DatabaseTransaction,
    viewer: &Viewer,
    row: &E::Model,
    event: Event,
) -> AppResult<()> {
    let (id, version) = (E::id_of(row), E::version_of(row));
    let scheduled = viewer.on_schedule().then_some(revisions::SCHEDULED_NOTE);
    let note = event.note.as_deref().or(scheduled);
    let (snapshot, change) = (E::snapshot(row), event.change.action());
    revisions::record(txn, viewer, E::NAME, id, version, snapshot, note, change).await?;
    let mut event = event;
    if let (serde_json::Value::Object(summary), Some(detail)) =
        (E::summary(row), event.detail.as_object_mut())
    {
        for (key, value) in summary {
            detail.entry(key).or_insert(value);
        }
    }
    changes::record(txn, viewer, event).await?;
    Ok(())
}

/// (id, position) of the rows under `parent`, except `except`, in order.
pub async fn positions<E: Content>(
    conn: &impl ConnectionTrait,
    parent: i32,
    except: i32,
) -> AppResult<Vec<(i32, i32)>> {
    Ok(E::find()
        .select_only()
        .column(E::ID)
        .column(E::POSITION)
        .filter(E::PARENT.eq(parent))
        .filter(E::ID.ne(except))
        .order_by_asc(E::POSITION)
        .order_by_asc(E::ID)
        .into_tuple::<(i32, i32)>()
        .all(conn)
        .await?)
}

/// Writes the new positions `renumber` worked out.
pub async fn apply_positions<E: Content>(
    conn: &impl ConnectionTrait,
    changes: Vec<(i32, i32)>,
) -> AppResult<()> {
    for (id, position) in changes {
        E::update_many()
            .col_expr(E::POSITION, Expr::value(position))
            .filter(E::ID.eq(id))
            .exec(conn)
            .await?;
    }
    Ok(())
}
