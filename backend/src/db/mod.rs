//! The persistence layer. **Only this module talks to sea-orm**: the rest of
//! the backend sees API types from `shared::api` and the small records
//! defined here.

pub mod attachments;
pub mod cases;
pub mod documents;
pub mod drafts;
pub mod entity;
pub mod handling;
pub mod migration;
pub mod outbox;
pub mod retention;
pub mod services;
pub mod sessions;
pub mod signature_evidence;
pub mod signatures;
pub mod staff;
pub mod supplements;
pub mod uploads;

use std::time::Duration;

use sea_orm::{
    ConnectOptions, ConnectionTrait, Database, DatabaseConnection, DatabaseTransaction, DbBackend, DbErr,
    SqliteTransactionMode, TransactionOptions, TransactionTrait,
};
use sea_orm_migration::MigratorTrait;
use secrecy::ExposeSecret;

use crate::config::DatabaseSettings;

/// The database handle shared by all requests.
pub type Db = DatabaseConnection;

/// Connects (creating the SQLite file and its directory when needed) and runs migrations.
pub async fn connect(settings: &DatabaseSettings) -> Result<Db, DbErr> {
    let db = pool(settings, settings.max_connections).await?;
    migration::Migrator::up(&db, None).await?;
    Ok(db)
}

/// A second, small pool on the same database for background jobs (the
/// purge), so that they never queue behind requests for a connection.
pub async fn connect_jobs(settings: &DatabaseSettings) -> Result<Db, DbErr> {
    pool(settings, 2).await
}

async fn pool(settings: &DatabaseSettings, max_connections: u32) -> Result<Db, DbErr> {
    let url = settings.url.expose_secret().to_string();
    let sqlite = url.starts_with("sqlite:");
    if sqlite && let Some(dir) = sqlite_dir(&url) {
        std::fs::create_dir_all(&dir).map_err(|e| DbErr::Custom(format!("cannot create {}: {e}", dir.display())))?;
    }
    let mut opts = ConnectOptions::new(url);
    opts.max_connections(max_connections)
        .min_connections(1)
        .connect_timeout(Duration::from_secs(10))
        .acquire_timeout(Duration::from_secs(10))
        .sqlx_logging(false);
    if sqlite {
        // WAL lets readers run beside the one writer; a busy writer is waited for, not failed.
        opts.map_sqlx_sqlite_opts(|o| {
            o.journal_mode(sea_orm::sqlx::sqlite::SqliteJournalMode::Wal)
                .synchronous(sea_orm::sqlx::sqlite::SqliteSynchronous::Full)
                .busy_timeout(Duration::from_secs(10))
                .foreign_keys(true)
                // A deleted row's bytes are overwritten: a purged case leaves nothing in the file.
                .pragma("secure_delete", "on")
        });
    }
    Database::connect(opts).await
}

fn sqlite_dir(url: &str) -> Option<std::path::PathBuf> {
    let path = url.trim_start_matches("sqlite:").trim_start_matches("//");
    let path = path.split('?').next()?;
    if path.is_empty() || path == ":memory:" {
        return None;
    }
    std::path::Path::new(path).parent().filter(|p| !p.as_os_str().is_empty()).map(|p| p.to_path_buf())
}

/// Begins a transaction that will write. On SQLite it takes the write lock at
/// once (`BEGIN IMMEDIATE`), so two writers never deadlock upgrading a read lock.
pub async fn begin_write(db: &Db) -> Result<DatabaseTransaction, DbErr> {
    if db.get_database_backend() == DbBackend::Sqlite {
        db.begin_with_options(TransactionOptions {
            sqlite_transaction_mode: Some(SqliteTransactionMode::Immediate),
            ..Default::default()
        })
        .await
    } else {
        db.begin().await
    }
}

/// True when the database answers.
pub async fn ping(db: &Db) -> bool {
    db.execute_unprepared("SELECT 1").await.is_ok()
}

/// True when the error is a unique-constraint violation.
pub fn is_unique_violation(e: &DbErr) -> bool {
    matches!(e.sql_err(), Some(sea_orm::SqlErr::UniqueConstraintViolation(_)))
}
