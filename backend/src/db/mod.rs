//! The persistence layer. **Only this module talks to sea-orm**: the rest of
//! the backend sees API types from `shared::api` and the small records
//! defined here.

pub mod access_log;
pub mod attachments;
pub mod builder_audit;
pub mod cases;
pub mod documents;
pub mod downloads;
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

use uuid::Uuid;

use sea_orm::{
    ConnectOptions, ConnectionTrait, Database, DatabaseConnection, DatabaseTransaction, DbBackend,
    SqliteTransactionMode, Statement, TransactionOptions, TransactionTrait,
};
use sea_orm_migration::MigratorTrait;
use secrecy::ExposeSecret;

use crate::config::DatabaseSettings;

/// The database handle shared by all requests.
pub type Db = DatabaseConnection;

/// A database failure, as the layers above `db` see it (they never import sea-orm themselves:
/// `tests/integration/boundaries.rs` keeps it so).
pub use sea_orm::DbErr;

/// Connects (creating the SQLite file and its directory when needed), runs
/// migrations and checks that the database takes writes: a server that could
/// only fail every submission does not start, and says which database.
pub async fn connect(settings: &DatabaseSettings) -> Result<Db, DbErr> {
    let at = |what: &str, e: DbErr| DbErr::Custom(format!("the database {} {what}: {e}", location(settings)));
    let db = pool(settings, settings.max_connections).await.map_err(|e| at("cannot be opened", e))?;
    migration::Migrator::up(&db, None).await.map_err(|e| at("cannot be migrated", e))?;
    write_probe(&db).await.map_err(|e| {
        at("cannot be written (check the file's and its directory's permissions and the free space)", e)
    })?;
    Ok(db)
}

/// Where the database is, for messages: the SQLite file's path, or
/// PostgreSQL's host and database without the user and password.
fn location(settings: &DatabaseSettings) -> String {
    let url = settings.url.expose_secret();
    if let Some(path) = sqlite_path(url) {
        return path.to_string();
    }
    let rest = url.split_once("://").map_or(url, |(_, r)| r);
    let host = rest.rsplit_once('@').map_or(rest, |(_, h)| h);
    host.split('?').next().unwrap_or_default().to_string()
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
    // A database that is down or a pool that is exhausted is answered 503 after this long,
    // instead of a request hanging (see `is_unavailable`).
    let wait = Duration::from_millis(settings.acquire_timeout_ms.max(100));
    let mut opts = ConnectOptions::new(url);
    opts.max_connections(max_connections)
        .min_connections(1)
        .connect_timeout(wait)
        .acquire_timeout(wait)
        .sqlx_logging(false);
    if sqlite {
        // SQLite's pages are 4 KiB.
        let max_pages = settings.sqlite_max_size_mb.map(|mb| mb.saturating_mul(256));
        // WAL lets readers run beside the one writer; a busy writer is waited for, not failed.
        opts.map_sqlx_sqlite_opts(move |o| {
            let o = match max_pages {
                Some(pages) => o.pragma("max_page_count", pages.to_string()),
                None => o,
            };
            o.journal_mode(sea_orm::sqlx::sqlite::SqliteJournalMode::Wal)
                .synchronous(sea_orm::sqlx::sqlite::SqliteSynchronous::Full)
                .busy_timeout(wait)
                .foreign_keys(true)
                // A deleted row's bytes are overwritten: a purged case leaves nothing in the file.
                .pragma("secure_delete", "on")
        });
        opts.map_sqlx_sqlite_pool_opts(|p| p.after_release(|conn, _| Box::pin(released_outside_transaction(conn))));
    } else {
        opts.map_sqlx_postgres_pool_opts(|p| p.after_release(|conn, _| Box::pin(released_outside_transaction(conn))));
    }
    Database::connect(opts).await
}

/// Whether a connection that comes back to the pool may be used again: only
/// when no transaction is open on it. A transaction that is dropped without
/// commit or rollback (an error path) queues its rollback on the connection;
/// a ping is answered after that rollback, so it is waited for. A connection
/// still inside a transaction after it is closed, which rolls the transaction
/// back. **Architecture Invariant**: no connection is handed out inside a
/// transaction. On SQLite a failed `ROLLBACK` (the disk was full, and SQLite
/// had already rolled back itself) once left the driver counting an open
/// transaction: the next "transaction" on that connection became a savepoint
/// inside a transaction nobody committed, its 201 was answered and its rows
/// were lost, and the connection kept the write lock.
async fn released_outside_transaction<C: sea_orm::sqlx::Connection>(
    conn: &mut C,
) -> Result<bool, sea_orm::sqlx::Error> {
    if !conn.is_in_transaction() {
        return Ok(true);
    }
    conn.ping().await?;
    if conn.is_in_transaction() {
        tracing::warn!("a database connection came back inside a transaction; it is closed, which rolls it back");
        return Ok(false);
    }
    Ok(true)
}

/// The file of a `sqlite:` URL (without its options), or `None` for another database.
fn sqlite_path(url: &str) -> Option<&str> {
    let path = url.strip_prefix("sqlite:")?.trim_start_matches("//");
    path.split('?').next()
}

fn sqlite_dir(url: &str) -> Option<std::path::PathBuf> {
    let path = sqlite_path(url)?;
    if path.is_empty() || path == ":memory:" {
        return None;
    }
    std::path::Path::new(path).parent().filter(|p| !p.as_os_str().is_empty()).map(|p| p.to_path_buf())
}

/// Empties SQLite's write-ahead log into the database file (after a purge, whose deleted bytes
/// `secure_delete` has zeroed); nothing on PostgreSQL.
pub async fn checkpoint(db: &Db) -> Result<(), DbErr> {
    if db.get_database_backend() == DbBackend::Sqlite {
        db.execute_unprepared("PRAGMA wal_checkpoint(TRUNCATE)").await?;
    }
    Ok(())
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

/// A statement written with `?` placeholders, numbered for PostgreSQL.
pub(crate) fn stmt(backend: DbBackend, sql: &str, values: Vec<sea_orm::Value>) -> Statement {
    let sql = if backend == DbBackend::Postgres {
        let mut out = String::with_capacity(sql.len() + 8);
        let mut n = 0;
        for ch in sql.chars() {
            if ch == '?' {
                n += 1;
                out.push('$');
                out.push_str(&n.to_string());
            } else {
                out.push(ch);
            }
        }
        out
    } else {
        sql.to_string()
    };
    Statement::from_sql_and_values(backend, sql, values)
}

/// True when the database answers.
pub async fn ping(db: &Db) -> bool {
    db.execute_unprepared("SELECT 1").await.is_ok()
}

/// Checks that the database takes writes: a write transaction that inserts a
/// row of a few pages into `write_probe`, deletes it again and commits. It
/// fails as a real write would when the disk (or SQLite's `max_page_count`)
/// is full, the file or the database is read-only, or another connection
/// holds the write lock for longer than the busy timeout. It leaves no row.
pub async fn write_probe(db: &Db) -> Result<(), DbErr> {
    let backend = db.get_database_backend();
    let txn = begin_write(db).await?;
    let id = uuid::Uuid::new_v4();
    // Random bytes, so that neither compression nor page reuse makes the write smaller.
    let mut filler = vec![0u8; 3 * 4096];
    rand::RngCore::fill_bytes(&mut rand::rngs::OsRng, &mut filler);
    let insert = "INSERT INTO write_probe (id, filler, at) VALUES (?, ?, ?)";
    txn.execute_raw(stmt(backend, insert, vec![id.into(), filler.into(), chrono::Utc::now().into()])).await?;
    txn.execute_raw(stmt(backend, "DELETE FROM write_probe WHERE id = ?", vec![id.into()])).await?;
    txn.commit().await
}

/// True when a database error means the database cannot serve now (it is
/// down or restarting, no connection came in time, its disk is full, it is
/// read-only, or the write lock stayed taken) rather than that the request
/// was wrong: such a request is answered 503 with `Retry-After`, and nothing
/// of it was kept.
pub fn is_unavailable(e: &DbErr) -> bool {
    use sea_orm::RuntimeErr;
    match e {
        // No connection could be made (refused, reset, or a broken handshake): the database is away.
        DbErr::ConnectionAcquire(_) | DbErr::Conn(_) => true,
        DbErr::Exec(RuntimeErr::SqlxError(e)) | DbErr::Query(RuntimeErr::SqlxError(e)) => sqlx_unavailable(e),
        _ => false,
    }
}

fn sqlx_unavailable(e: &sea_orm::sqlx::Error) -> bool {
    use sea_orm::sqlx::Error as E;
    match e {
        E::Io(_) | E::Tls(_) | E::PoolTimedOut | E::PoolClosed | E::WorkerCrashed => true,
        E::Database(db) => {
            let sqlite = db.try_downcast_ref::<sea_orm::sqlx::sqlite::SqliteError>().is_some();
            db.code().is_some_and(|code| unavailable_code(sqlite, &code))
        }
        _ => false,
    }
}

/// SQLite's result codes (the primary code is the low byte of an extended
/// one) and PostgreSQL's SQLSTATEs of a database that cannot serve now.
fn unavailable_code(sqlite: bool, code: &str) -> bool {
    if sqlite {
        // SQLITE_BUSY, SQLITE_LOCKED, SQLITE_READONLY, SQLITE_IOERR, SQLITE_FULL, SQLITE_CANTOPEN.
        return code.parse::<i64>().is_ok_and(|n| matches!(n & 0xff, 5 | 6 | 8 | 10 | 13 | 14));
    }
    // Connection exceptions, insufficient resources (disk full, too many connections), operator
    // intervention (shutdown, starting up), system errors, and a read-only transaction (a standby).
    code.starts_with("08")
        || code.starts_with("53")
        || code.starts_with("57P")
        || code.starts_with("58")
        || code == "25006"
}

/// Reads JSON the platform stored itself (answers, a field list, counts):
/// what cannot be read is an error, logged with what it is and whose, never
/// a silent default that would mean something else (an empty field list
/// means "any field", empty answers would overwrite the real ones).
pub fn stored<T: serde::de::DeserializeOwned>(value: serde_json::Value, what: &str, of: Uuid) -> Result<T, DbErr> {
    serde_json::from_value(value).map_err(|e| {
        tracing::error!(record.id = %of, error = %e, "stored {what} cannot be read");
        DbErr::Custom(format!("stored {what} of {of} cannot be read: {e}"))
    })
}

/// True when the error is a unique-constraint violation.
pub fn is_unique_violation(e: &DbErr) -> bool {
    matches!(e.sql_err(), Some(sea_orm::SqlErr::UniqueConstraintViolation(_)))
}

#[cfg(test)]
mod tests {
    use super::{DbBackend, stmt, unavailable_code};

    #[test]
    fn placeholders_are_numbered_for_postgres_and_kept_for_sqlite() {
        let s = stmt(DbBackend::Postgres, "DELETE FROM t WHERE a = ? AND b = ?", vec![1.into(), 2.into()]);
        assert_eq!(s.sql, "DELETE FROM t WHERE a = $1 AND b = $2");
        let s = stmt(DbBackend::Sqlite, "DELETE FROM t WHERE a = ?", vec![1.into()]);
        assert_eq!(s.sql, "DELETE FROM t WHERE a = ?");
    }

    #[test]
    fn a_full_disk_a_read_only_file_a_held_lock_and_a_shutdown_mean_unavailable() {
        for code in ["5", "6", "8", "10", "13", "14", "2058", "1032", "3338"] {
            assert!(unavailable_code(true, code), "SQLite {code}");
        }
        for code in ["1", "19", "2067", "787"] {
            assert!(!unavailable_code(true, code), "SQLite {code}");
        }
        for code in ["08006", "53100", "53300", "57P01", "57P03", "58030", "25006"] {
            assert!(unavailable_code(false, code), "PostgreSQL {code}");
        }
        for code in ["23505", "23503", "22P02", "42P01", "40001"] {
            assert!(!unavailable_code(false, code), "PostgreSQL {code}");
        }
    }
}
