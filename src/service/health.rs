//! Readiness: the database answers and every migration has been applied.

use migration::MigratorTrait;

use super::Db;

pub async fn ready(db: &Db) -> Result<(), String> {
    db.ping()
        .await
        .map_err(|e| format!("database unreachable: {e}"))?;
    let pending = migration::Migrator::get_pending_migrations(db)
        .await
        .map_err(|e| format!("cannot read migration state: {e}"))?;
    if pending.is_empty() {
        Ok(())
    } else {
        Err(format!("{} migration(s) not applied", pending.len()))
    }
}
