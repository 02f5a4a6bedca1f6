//! The purge of one case in one transaction: every row about it goes (the
//! access log is pseudonymised or deleted), a purge record without personal
//! data stays, and its files go on the retry list.

use std::collections::{BTreeMap, BTreeSet};

use chrono::{DateTime, Utc};
use sea_orm::prelude::*;
use sea_orm::{ActiveValue::Set, DbBackend, QuerySelect, Statement};
use shared::api::{PurgeCounts, PurgeRule};

use super::*;
use crate::db::entity::{case, purge_record};
use crate::db::{Db, stmt};

/// A purged case: what was removed, and the files now on the retry list.
#[derive(Debug, Clone)]
pub struct Purged {
    /// The purge record's id.
    pub record_id: Uuid,
    /// The counts.
    pub counts: PurgeCounts,
}

/// Purges one case in one transaction, if it is still due under `rule` at
/// `now`: every row about it goes (or, for the access log, is pseudonymised),
/// a purge record without personal data stays, and its files go on the retry
/// list, to be removed from storage after the commit. `Ok(None)`: not due
/// (any more), or already purged by another run.
pub async fn purge_case(
    db: &Db,
    case_id: Uuid,
    rule: PurgeRule,
    s: &ServiceRules,
    now: DateTime<Utc>,
    mode: AccessLogMode,
    run_id: Option<Uuid>,
) -> Result<Option<Purged>, DbErr> {
    let days = match rule {
        PurgeRule::Closed => s.closing,
        PurgeRule::AwaitingSignatures => s.signatures,
    };
    let txn = crate::db::begin_write(db).await?;
    // Takes the row lock and checks, under it, that the case is still due: a
    // handler re-opening it or another run purging it first waits or wins.
    // On PostgreSQL `FOR UPDATE` also makes a concurrent insert that refers to
    // the case (a document, a message, a read) wait, and then fail on its
    // foreign key, instead of slipping in beside the purge; SQLite's write
    // lock (`BEGIN IMMEDIATE`) already keeps every other writer out.
    let locked = if txn.get_database_backend() == DbBackend::Postgres {
        case::Entity::find()
            .select_only()
            .column(case::Column::Id)
            .filter(case::Column::Id.eq(case_id))
            .filter(case::Column::ServiceId.eq(s.id))
            .filter(due_filter(rule, cutoff(now, days)))
            .lock_exclusive()
            .into_tuple::<Uuid>()
            .all(&txn)
            .await?
            .len() as u64
    } else {
        case::Entity::update_many()
            .col_expr(case::Column::UpdatedAt, Expr::col(case::Column::UpdatedAt))
            .filter(case::Column::Id.eq(case_id))
            .filter(case::Column::ServiceId.eq(s.id))
            .filter(due_filter(rule, cutoff(now, days)))
            .exec(&txn)
            .await?
            .rows_affected
    };
    if locked != 1 {
        txn.rollback().await?;
        return Ok(None);
    }
    if txn.get_database_backend() == DbBackend::Postgres {
        // The same deletes as below in one statement: one round trip instead of twenty.
        let record_id = Uuid::now_v7();
        let row = txn
            .query_one_raw(Statement::from_sql_and_values(
                DbBackend::Postgres,
                PURGE_POSTGRES.as_str(),
                vec![
                    case_id.into(),
                    record_id.into(),
                    (mode == AccessLogMode::Pseudonymise).into(),
                    rule.as_str().into(),
                    i32::try_from(days).unwrap_or(i32::MAX).into(),
                    mode.as_str().into(),
                    run_id.into(),
                ],
            ))
            .await?;
        let Some(row) = row else {
            txn.rollback().await?;
            return Ok(None);
        };
        let counts: serde_json::Value = row.try_get("", "counts")?;
        let counts: PurgeCounts = serde_json::from_value(counts).map_err(|e| DbErr::Custom(e.to_string()))?;
        txn.commit().await?;
        return Ok(Some(Purged { record_id, counts }));
    }
    let Some(m) = case::Entity::find_by_id(case_id).one(&txn).await? else {
        txn.rollback().await?;
        return Ok(None);
    };
    let id = || sea_orm::Value::from(case_id);
    let mut counts = PurgeCounts { answers: m.answers.as_object().map_or(0, |o| o.len() as u64), ..Default::default() };

    // The files, before their records go.
    let backend = txn.get_database_backend();
    let mut files: BTreeSet<FileKey> = BTreeSet::new();
    let file_tables = PURGED_ROWS.iter().filter(|r| r.store.is_some()).count();
    for r in txn.query_all_raw(stmt(backend, &files_sqlite(), vec![id(); file_tables])).await? {
        let key: Uuid = r.try_get("", "id")?;
        let store: String = r.try_get("", "store")?;
        files.insert((if store == "uploads" { "uploads" } else { "documents" }, key.to_string()));
    }
    for rows in &PURGED_ROWS {
        let deleted =
            exec(&txn, &format!("DELETE FROM {} WHERE {}", rows.table, rows.of_case("?")), vec![id()]).await?;
        *rows.tally.of(&mut counts) += deleted;
    }
    counts.files = files.len() as u64;

    let record_id = Uuid::now_v7();
    if mode == AccessLogMode::Pseudonymise {
        exec(
            &txn,
            "INSERT INTO purged_access_log (purge_record_id, staff_user_id, action, at) \
             SELECT ?, staff_user_id, action, at FROM case_access_log WHERE case_id = ?",
            vec![record_id.into(), id()],
        )
        .await?;
    }
    counts.access_log_entries = exec(&txn, "DELETE FROM case_access_log WHERE case_id = ?", vec![id()]).await?;

    purge_record::ActiveModel {
        id: Set(record_id),
        case_id: Set(case_id),
        reference: Set(m.reference.clone()),
        service_id: Set(m.service_id),
        rule: Set(rule.as_str().to_string()),
        days: Set(i32::try_from(days).unwrap_or(i32::MAX)),
        submitted_on: Set(m.submitted_at.date_naive()),
        closed_on: Set(m.closed_at.map(|c| c.date_naive())),
        purged_at: Set(Utc::now()),
        counts: Set(serde_json::to_value(counts).map_err(|e| DbErr::Custom(e.to_string()))?),
        access_log: Set(mode.as_str().to_string()),
        run_id: Set(run_id),
    }
    .insert(&txn)
    .await?;
    queue_files(&txn, &files, Utc::now()).await?;
    let gone = case::Entity::delete_by_id(case_id).exec(&txn).await?;
    if gone.rows_affected != 1 {
        txn.rollback().await?;
        return Ok(None);
    }
    txn.commit().await?;
    Ok(Some(Purged { record_id, counts }))
}

/// The rows about a case a purge deletes, in the order SQLite deletes them
/// (each before what it refers to): the one list both databases' purges are
/// made from. The case's access log is not here (it may be pseudonymised
/// first), nor the case row itself (it goes last).
const PURGED_ROWS: [PurgedRows; 12] = [
    PurgedRows::of(
        "document_downloads",
        "dd",
        "document_id IN (SELECT id FROM case_documents WHERE case_id = {case})",
        Tally::Downloads,
        None,
    ),
    PurgedRows::of(
        "message_attachment_downloads",
        "md",
        "attachment_id IN (SELECT id FROM message_attachments WHERE case_id = {case})",
        Tally::Downloads,
        None,
    ),
    PurgedRows::of(
        "upload_downloads",
        "ud",
        "upload_id IN (SELECT id FROM uploads WHERE case_id = {case})",
        Tally::Downloads,
        None,
    ),
    PurgedRows::of(
        "message_attachments",
        "ma",
        "case_id = {case}",
        Tally::MessageFiles,
        Some("CASE WHEN store = 'uploads' THEN 'uploads' ELSE 'documents' END"),
    ),
    PurgedRows::of("case_messages", "ms", "case_id = {case}", Tally::Messages, None),
    PurgedRows::of("case_notes", "nt", "case_id = {case}", Tally::Notes, None),
    PurgedRows::of("case_supplements", "su", "case_id = {case}", Tally::Supplements, None),
    PurgedRows::of("case_signatures", "sg", "case_id = {case}", Tally::Signatures, None),
    PurgedRows::of("case_documents", "dc", "case_id = {case}", Tally::Documents, Some("'documents'")),
    PurgedRows::of("case_status_history", "sh", "case_id = {case}", Tally::StatusChanges, None),
    PurgedRows::of("outbox", "ob", "case_id = {case}", Tally::OutboxItems, None),
    PurgedRows::of("uploads", "up", "case_id = {case}", Tally::Uploads, Some("'uploads'")),
];

/// Which count of the purge record a table's deleted rows add to.
#[derive(Debug, Clone, Copy)]
enum Tally {
    Downloads,
    MessageFiles,
    Messages,
    Notes,
    Supplements,
    Signatures,
    Documents,
    StatusChanges,
    OutboxItems,
    Uploads,
}

impl Tally {
    fn of(self, c: &mut PurgeCounts) -> &mut u64 {
        match self {
            Tally::Downloads => &mut c.downloads,
            Tally::MessageFiles => &mut c.message_files,
            Tally::Messages => &mut c.messages,
            Tally::Notes => &mut c.notes,
            Tally::Supplements => &mut c.supplements,
            Tally::Signatures => &mut c.signatures,
            Tally::Documents => &mut c.documents,
            Tally::StatusChanges => &mut c.status_changes,
            Tally::OutboxItems => &mut c.outbox_items,
            Tally::Uploads => &mut c.uploads,
        }
    }

    /// The count's name in the record's JSON.
    fn key(self) -> &'static str {
        match self {
            Tally::Downloads => "downloads",
            Tally::MessageFiles => "message_files",
            Tally::Messages => "messages",
            Tally::Notes => "notes",
            Tally::Supplements => "supplements",
            Tally::Signatures => "signatures",
            Tally::Documents => "documents",
            Tally::StatusChanges => "status_changes",
            Tally::OutboxItems => "outbox_items",
            Tally::Uploads => "uploads",
        }
    }
}

/// One table's rows about a case.
struct PurgedRows {
    table: &'static str,
    /// Its name in the PostgreSQL statement.
    alias: &'static str,
    /// The condition that picks the case's rows, `{case}` standing for the case's id.
    case_rows: &'static str,
    tally: Tally,
    /// For rows that are stored files: the SQL expression of their store.
    store: Option<&'static str>,
}

impl PurgedRows {
    const fn of(
        table: &'static str,
        alias: &'static str,
        case_rows: &'static str,
        tally: Tally,
        store: Option<&'static str>,
    ) -> Self {
        Self { table, alias, case_rows, tally, store }
    }

    /// The condition with the case's id as `placeholder`.
    fn of_case(&self, placeholder: &str) -> String {
        self.case_rows.replace("{case}", placeholder)
    }
}

/// SQLite: the case's stored files (`id`, `store`), one `?` per file table.
fn files_sqlite() -> String {
    PURGED_ROWS
        .iter()
        .filter_map(|r| {
            r.store.map(|store| format!("SELECT id, {store} AS store FROM {} WHERE {}", r.table, r.of_case("?")))
        })
        .collect::<Vec<_>>()
        .join(" UNION ALL ")
}

/// [`purge_case`] on PostgreSQL after the row lock: every delete of
/// [`PURGED_ROWS`], the access log's copy, the retry list and the purge
/// record in one statement (data-modifying CTEs, each table touched by one
/// of them; PostgreSQL runs every one whether or not it is read). `$1` the
/// case, `$2` the record's id, `$3` keep the access log, `$4` the rule, `$5`
/// its days, `$6` the access-log mode, `$7` the run. Returns the record's counts.
static PURGE_POSTGRES: std::sync::LazyLock<String> = std::sync::LazyLock::new(|| {
    let mut sql = String::from(
        "WITH c AS (SELECT id, reference, service_id, submitted_at, closed_at, answers FROM cases WHERE id = $1),\n",
    );
    for r in &PURGED_ROWS {
        let returning = if r.store.is_some() && r.table == "message_attachments" {
            "id, store"
        } else if r.store.is_some() {
            "id"
        } else {
            "1"
        };
        sql.push_str(&format!(
            "{} AS (DELETE FROM {} WHERE {} RETURNING {returning}),\n",
            r.alias,
            r.table,
            r.of_case("$1")
        ));
    }
    sql.push_str(
        "al AS (DELETE FROM case_access_log WHERE case_id = $1 RETURNING staff_user_id, action, at),\n\
         pl AS (INSERT INTO purged_access_log (purge_record_id, staff_user_id, action, at) \
         SELECT $2, staff_user_id, action, at FROM al WHERE $3 RETURNING 1),\n",
    );
    let files: Vec<String> = PURGED_ROWS
        .iter()
        .filter_map(|r| r.store.map(|store| format!("SELECT id, {store}::text AS store FROM {}", r.alias)))
        .collect();
    sql.push_str(&format!("files AS ({}),\n", files.join(" UNION ")));
    sql.push_str(
        "fq AS (INSERT INTO file_deletions (id, store, file_key, attempts, next_attempt_at, last_error, created_at) \
         SELECT gen_random_uuid(), store, id::text, 0, clock_timestamp(), NULL, clock_timestamp() FROM files RETURNING 1),\n\
         gone AS (DELETE FROM cases WHERE id = $1 RETURNING 1),\n",
    );
    let mut counts: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
    for r in &PURGED_ROWS {
        counts.entry(r.tally.key()).or_default().push(r.alias);
    }
    let mut fields = vec![
        "'answers', (SELECT count(*) FROM c, json_object_keys(CASE WHEN json_typeof(c.answers) = 'object' THEN c.answers ELSE '{}'::json END))".to_string(),
        "'access_log_entries', (SELECT count(*) FROM al)".to_string(),
        "'files', (SELECT count(*) FROM fq)".to_string(),
    ];
    for (key, aliases) in counts {
        let sum: Vec<String> = aliases.iter().map(|a| format!("(SELECT count(*) FROM {a})")).collect();
        fields.push(format!("'{key}', {}", sum.join(" + ")));
    }
    sql.push_str(&format!("n AS (SELECT json_build_object({}) AS counts)\n", fields.join(", ")));
    sql.push_str(
        "INSERT INTO purge_records (id, case_id, reference, service_id, rule, days, submitted_on, closed_on, purged_at, \
         counts, access_log, run_id) \
         SELECT $2, c.id, c.reference, c.service_id, $4, $5, (c.submitted_at AT TIME ZONE 'UTC')::date, \
         (c.closed_at AT TIME ZONE 'UTC')::date, clock_timestamp(), n.counts, $6, $7 \
         FROM c, n WHERE (SELECT count(*) FROM gone) = 1 \
         RETURNING counts",
    );
    sql
});
