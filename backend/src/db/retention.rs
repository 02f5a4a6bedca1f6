//! Retention ("gallring"): what is due, the purge of one case in one
//! transaction, abandoned drafts and loose files, the retry list of files to
//! remove, the purge records, the job's runs and its lease, legal holds.
//!
//! Time is UTC and counted in whole days: a case closed at any instant of day
//! D with a period of N days is due from D + N at 00:00:00 UTC — never a
//! second earlier, whatever the server's time zone. Every purge re-checks, in
//! its own transaction and under the case's row lock, that the case is still
//! due (still closed, not held, not re-opened), so a run that raced a handler
//! or another instance deletes nothing it should not.

use std::collections::{BTreeMap, BTreeSet};

use chrono::{DateTime, Days, NaiveDate, NaiveTime, Utc};
use sea_orm::prelude::*;
use sea_orm::{ActiveValue::Set, DbBackend, QueryOrder, QuerySelect, Statement};
use shared::StatusKind;
use shared::api::{PurgeCounts, PurgeRecordView, PurgeRule, RetentionRunView};

use super::entity::{case, draft, file_deletion, purge_record, retention_run, service, upload};
use super::{Db, stmt};

/// The first instant at which something `days` days after `at`'s day is due.
pub fn due_from(at: DateTime<Utc>, days: u32) -> Option<DateTime<Utc>> {
    at.date_naive().checked_add_days(Days::new(u64::from(days))).map(|d| d.and_time(NaiveTime::MIN).and_utc())
}

/// The day something is due, `days` after `at`'s day.
pub fn due_on(at: DateTime<Utc>, days: u32) -> Option<NaiveDate> {
    at.date_naive().checked_add_days(Days::new(u64::from(days)))
}

/// Things that happened strictly before this instant are `days` days old or
/// more at `now` (whole UTC days): `now`'s day minus `days` plus one, at midnight.
pub fn cutoff(now: DateTime<Utc>, days: u32) -> DateTime<Utc> {
    let day = now.date_naive();
    day.checked_sub_days(Days::new(u64::from(days)))
        .and_then(|d| d.checked_add_days(Days::new(1)))
        .unwrap_or(NaiveDate::MIN)
        .and_time(NaiveTime::MIN)
        .and_utc()
}

async fn exec(c: &impl ConnectionTrait, sql: &str, values: Vec<sea_orm::Value>) -> Result<u64, DbErr> {
    Ok(c.execute_raw(stmt(c.get_database_backend(), sql, values)).await?.rows_affected())
}

/// The periods of one service, in days.
#[derive(Debug, Clone)]
pub struct ServiceRules {
    /// The service's id.
    pub id: Uuid,
    /// Its URL name.
    pub slug: String,
    /// Days after closing.
    pub closing: u32,
    /// Days for drafts.
    pub drafts: u32,
    /// Days awaiting signatures.
    pub signatures: u32,
}

impl ServiceRules {
    /// The periods as the API shows them.
    pub fn view(&self) -> shared::api::RetentionRules {
        shared::api::RetentionRules {
            days_after_closing: self.closing,
            days_for_drafts: self.drafts,
            days_awaiting_signatures: self.signatures,
        }
    }
}

/// The platform's default periods, where a service has none of its own.
#[derive(Debug, Clone, Copy)]
pub struct Defaults {
    /// Days for drafts.
    pub drafts: u32,
    /// Days awaiting signatures.
    pub signatures: u32,
}

fn days(v: Option<i32>, default: u32) -> u32 {
    v.and_then(|d| u32::try_from(d).ok()).filter(|d| *d > 0).unwrap_or(default)
}

fn rules_of(m: &service::Model, d: Defaults) -> ServiceRules {
    ServiceRules {
        id: m.id,
        slug: m.slug.clone(),
        closing: u32::try_from(m.retention_days_after_closing).unwrap_or(u32::MAX).max(1),
        drafts: days(m.retention_days_for_drafts, d.drafts),
        signatures: days(m.retention_days_awaiting_signatures, d.signatures),
    }
}

/// Every service's periods.
pub async fn all_rules(db: &Db, d: Defaults) -> Result<Vec<ServiceRules>, DbErr> {
    Ok(service::Entity::find()
        .order_by_asc(service::Column::Id)
        .all(db)
        .await?
        .iter()
        .map(|m| rules_of(m, d))
        .collect())
}

/// One service's periods, by slug.
pub async fn rules_by_slug(db: &Db, slug: &str, d: Defaults) -> Result<Option<ServiceRules>, DbErr> {
    Ok(service::Entity::find().filter(service::Column::Slug.eq(slug)).one(db).await?.map(|m| rules_of(&m, d)))
}

/// A case that is due, as found by the scan (checked again when purged).
#[derive(Debug, Clone)]
pub struct DueCase {
    /// The case's id.
    pub id: Uuid,
    /// Its reference.
    pub reference: String,
    /// Its status key.
    pub status_key: String,
    /// The rule that makes it due.
    pub rule: PurgeRule,
    /// The rule's period.
    pub days: u32,
    /// When it was closed.
    pub closed_at: Option<DateTime<Utc>>,
    /// The day it became due.
    pub due_on: NaiveDate,
    /// The instant the rule counts from (closing, or the start of signing).
    pub from: DateTime<Utc>,
}

impl DueCase {
    /// Where the next batch starts: after this case.
    pub fn cursor(&self) -> (DateTime<Utc>, Uuid) {
        (self.from, self.id)
    }
}

fn due_filter(rule: PurgeRule, cutoff: DateTime<Utc>) -> sea_orm::Condition {
    let c = sea_orm::Condition::all().add(case::Column::LegalHoldAt.is_null());
    match rule {
        PurgeRule::Closed => {
            c.add(case::Column::StatusKind.eq(StatusKind::Closed.as_str())).add(case::Column::ClosedAt.lt(cutoff))
        }
        // An attempt still within its co-signers' deadline is never purged; the job ends it
        // (`signing::expire_due`) when the deadline passes, and purges it then if it is due.
        PurgeRule::AwaitingSignatures => c
            .add(case::Column::StatusKind.eq(StatusKind::AwaitingSignatures.as_str()))
            .add(case::Column::SubmittedAt.lt(cutoff))
            .add(
                sea_orm::Condition::any()
                    .add(case::Column::SigningOutcome.is_null())
                    .add(case::Column::SigningOutcome.ne("awaiting")),
            ),
    }
}

/// Up to `limit` cases of a service due at `now` under `rule`, the longest due first.
pub async fn due_cases(
    db: &Db,
    s: &ServiceRules,
    rule: PurgeRule,
    now: DateTime<Utc>,
    after: Option<(DateTime<Utc>, Uuid)>,
    limit: u64,
) -> Result<Vec<DueCase>, DbErr> {
    let days = match rule {
        PurgeRule::Closed => s.closing,
        PurgeRule::AwaitingSignatures => s.signatures,
    };
    let order = match rule {
        PurgeRule::Closed => case::Column::ClosedAt,
        PurgeRule::AwaitingSignatures => case::Column::SubmittedAt,
    };
    let mut q = case::Entity::find();
    if let Some((at, id)) = after {
        q = q.filter(
            sea_orm::Condition::any()
                .add(order.gt(at))
                .add(sea_orm::Condition::all().add(order.eq(at)).add(case::Column::Id.gt(id))),
        );
    }
    let rows = q
        .select_only()
        .columns([case::Column::Id, case::Column::Reference, case::Column::StatusKey, case::Column::ClosedAt])
        .column(case::Column::SubmittedAt)
        .filter(case::Column::ServiceId.eq(s.id))
        .filter(due_filter(rule, cutoff(now, days)))
        .order_by_asc(order)
        .order_by_asc(case::Column::Id)
        .limit(limit)
        .into_tuple::<(Uuid, String, String, Option<DateTime<Utc>>, DateTime<Utc>)>()
        .all(db)
        .await?;
    Ok(rows
        .into_iter()
        .filter_map(|(id, reference, status_key, closed_at, submitted_at)| {
            let from = match rule {
                PurgeRule::Closed => closed_at?,
                PurgeRule::AwaitingSignatures => submitted_at,
            };
            Some(DueCase { id, reference, status_key, rule, days, closed_at, due_on: due_on(from, days)?, from })
        })
        .collect())
}

/// How many cases of a service are due at `now` under `rule`; and how many
/// closed ones would be but for a legal hold.
pub async fn due_counts(db: &Db, s: &ServiceRules, now: DateTime<Utc>) -> Result<(u64, u64), DbErr> {
    let mut due = 0;
    for (rule, days) in [(PurgeRule::Closed, s.closing), (PurgeRule::AwaitingSignatures, s.signatures)] {
        due += case::Entity::find()
            .filter(case::Column::ServiceId.eq(s.id))
            .filter(due_filter(rule, cutoff(now, days)))
            .count(db)
            .await?;
    }
    let held = case::Entity::find()
        .filter(case::Column::ServiceId.eq(s.id))
        .filter(case::Column::StatusKind.eq(StatusKind::Closed.as_str()))
        .filter(case::Column::ClosedAt.lt(cutoff(now, s.closing)))
        .filter(case::Column::LegalHoldAt.is_not_null())
        .count(db)
        .await?;
    Ok((due, held))
}

/// How many drafts of a service are abandoned at `now`.
pub async fn due_draft_count(db: &Db, s: &ServiceRules, now: DateTime<Utc>) -> Result<u64, DbErr> {
    draft::Entity::find()
        .filter(draft::Column::ServiceId.eq(s.id))
        .filter(draft::Column::UpdatedAt.lt(cutoff(now, s.drafts)))
        .count(db)
        .await
}

/// What becomes of the staff's access-log entries of a purged case.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AccessLogMode {
    /// Kept without the case: tied to the purge record.
    Pseudonymise,
    /// Deleted with the case.
    Delete,
}

impl AccessLogMode {
    /// As stored in the purge record.
    pub fn as_str(self) -> &'static str {
        match self {
            AccessLogMode::Pseudonymise => "pseudonymised",
            AccessLogMode::Delete => "deleted",
        }
    }
}

/// A stored file: its store and key.
pub type FileKey = (&'static str, String);

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
    let txn = super::begin_write(db).await?;
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
                PURGE_POSTGRES,
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
    let rows = txn
        .query_all_raw(stmt(
            backend,
            "SELECT id, 'uploads' AS store FROM uploads WHERE case_id = ? \
             UNION ALL SELECT id, store FROM message_attachments WHERE case_id = ? \
             UNION ALL SELECT id, 'documents' AS store FROM case_documents WHERE case_id = ?",
            vec![id(), id(), id()],
        ))
        .await?;
    for r in rows {
        let key: Uuid = r.try_get("", "id")?;
        let store: String = r.try_get("", "store")?;
        files.insert((if store == "uploads" { "uploads" } else { "documents" }, key.to_string()));
    }

    counts.downloads = exec(
        &txn,
        "DELETE FROM document_downloads WHERE document_id IN (SELECT id FROM case_documents WHERE case_id = ?)",
        vec![id()],
    )
    .await?;
    counts.downloads += exec(
        &txn,
        "DELETE FROM message_attachment_downloads WHERE attachment_id IN \
         (SELECT id FROM message_attachments WHERE case_id = ?)",
        vec![id()],
    )
    .await?;
    counts.downloads += exec(
        &txn,
        "DELETE FROM upload_downloads WHERE upload_id IN (SELECT id FROM uploads WHERE case_id = ?)",
        vec![id()],
    )
    .await?;
    counts.message_files = exec(&txn, "DELETE FROM message_attachments WHERE case_id = ?", vec![id()]).await?;
    counts.messages = exec(&txn, "DELETE FROM case_messages WHERE case_id = ?", vec![id()]).await?;
    counts.notes = exec(&txn, "DELETE FROM case_notes WHERE case_id = ?", vec![id()]).await?;
    counts.supplements = exec(&txn, "DELETE FROM case_supplements WHERE case_id = ?", vec![id()]).await?;
    counts.signatures = exec(&txn, "DELETE FROM case_signatures WHERE case_id = ?", vec![id()]).await?;
    counts.documents = exec(&txn, "DELETE FROM case_documents WHERE case_id = ?", vec![id()]).await?;
    counts.status_changes = exec(&txn, "DELETE FROM case_status_history WHERE case_id = ?", vec![id()]).await?;
    counts.outbox_items = exec(&txn, "DELETE FROM outbox WHERE case_id = ?", vec![id()]).await?;
    counts.uploads = exec(&txn, "DELETE FROM uploads WHERE case_id = ?", vec![id()]).await?;
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

/// [`purge_case`] on PostgreSQL after the row lock: every delete, the
/// access log's copy, the retry list and the purge record in one statement
/// (data-modifying CTEs; each table is touched by one of them). `$1` the case,
/// `$2` the record's id, `$3` keep the access log, `$4` the rule, `$5` its
/// days, `$6` the access-log mode, `$7` the run. Returns the record's counts.
const PURGE_POSTGRES: &str = "\
WITH c AS (SELECT id, reference, service_id, submitted_at, closed_at, answers FROM cases WHERE id = $1),
dd AS (DELETE FROM document_downloads WHERE document_id IN (SELECT id FROM case_documents WHERE case_id = $1) RETURNING 1),
md AS (DELETE FROM message_attachment_downloads
       WHERE attachment_id IN (SELECT id FROM message_attachments WHERE case_id = $1) RETURNING 1),
ud AS (DELETE FROM upload_downloads WHERE upload_id IN (SELECT id FROM uploads WHERE case_id = $1) RETURNING 1),
ma AS (DELETE FROM message_attachments WHERE case_id = $1 RETURNING id, store),
ms AS (DELETE FROM case_messages WHERE case_id = $1 RETURNING 1),
nt AS (DELETE FROM case_notes WHERE case_id = $1 RETURNING 1),
su AS (DELETE FROM case_supplements WHERE case_id = $1 RETURNING 1),
sg AS (DELETE FROM case_signatures WHERE case_id = $1 RETURNING 1),
dc AS (DELETE FROM case_documents WHERE case_id = $1 RETURNING id),
sh AS (DELETE FROM case_status_history WHERE case_id = $1 RETURNING 1),
ob AS (DELETE FROM outbox WHERE case_id = $1 RETURNING 1),
up AS (DELETE FROM uploads WHERE case_id = $1 RETURNING id),
al AS (DELETE FROM case_access_log WHERE case_id = $1 RETURNING staff_user_id, action, at),
pl AS (INSERT INTO purged_access_log (purge_record_id, staff_user_id, action, at)
       SELECT $2, staff_user_id, action, at FROM al WHERE $3 RETURNING 1),
files AS (SELECT id, 'uploads'::text AS store FROM up
          UNION SELECT id, CASE WHEN store = 'uploads' THEN 'uploads' ELSE 'documents' END FROM ma
          UNION SELECT id, 'documents' FROM dc),
fq AS (INSERT INTO file_deletions (id, store, file_key, attempts, next_attempt_at, last_error, created_at)
       SELECT gen_random_uuid(), store, id::text, 0, clock_timestamp(), NULL, clock_timestamp() FROM files RETURNING 1),
gone AS (DELETE FROM cases WHERE id = $1 RETURNING 1),
n AS (SELECT json_build_object(
        'answers', (SELECT count(*) FROM c, json_object_keys(CASE WHEN json_typeof(c.answers) = 'object' THEN c.answers ELSE '{}'::json END)),
        'status_changes', (SELECT count(*) FROM sh), 'messages', (SELECT count(*) FROM ms),
        'message_files', (SELECT count(*) FROM ma), 'notes', (SELECT count(*) FROM nt),
        'supplements', (SELECT count(*) FROM su), 'documents', (SELECT count(*) FROM dc),
        'uploads', (SELECT count(*) FROM up), 'signatures', (SELECT count(*) FROM sg), 'access_log_entries', (SELECT count(*) FROM al),
        'outbox_items', (SELECT count(*) FROM ob), 'downloads', (SELECT count(*) FROM dd) + (SELECT count(*) FROM md) + (SELECT count(*) FROM ud),
        'files', (SELECT count(*) FROM fq)) AS counts)
INSERT INTO purge_records (id, case_id, reference, service_id, rule, days, submitted_on, closed_on, purged_at,
                           counts, access_log, run_id)
SELECT $2, c.id, c.reference, c.service_id, $4, $5, (c.submitted_at AT TIME ZONE 'UTC')::date,
       (c.closed_at AT TIME ZONE 'UTC')::date, clock_timestamp(), n.counts, $6, $7
FROM c, n WHERE (SELECT count(*) FROM gone) = 1 AND (SELECT count(*) FROM pl) >= 0
RETURNING counts";

/// Puts files on the retry list (inside the transaction that drops their records).
async fn queue_files(txn: &impl ConnectionTrait, files: &BTreeSet<FileKey>, now: DateTime<Utc>) -> Result<(), DbErr> {
    if files.is_empty() {
        return Ok(());
    }
    file_deletion::Entity::insert_many(files.iter().map(|(store, key)| file_deletion::ActiveModel {
        id: Set(Uuid::now_v7()),
        store: Set((*store).to_string()),
        file_key: Set(key.clone()),
        attempts: Set(0),
        next_attempt_at: Set(now),
        last_error: Set(None),
        created_at: Set(now),
    }))
    .exec(txn)
    .await?;
    Ok(())
}

/// Every UUID-shaped string in a JSON value (the upload ids a draft's file answers hold).
fn uuids_in(v: &serde_json::Value, out: &mut BTreeSet<Uuid>) {
    match v {
        serde_json::Value::String(s) => {
            if let Ok(u) = Uuid::parse_str(s) {
                out.insert(u);
            }
        }
        serde_json::Value::Array(a) => a.iter().for_each(|x| uuids_in(x, out)),
        serde_json::Value::Object(o) => o.values().for_each(|x| uuids_in(x, out)),
        _ => {}
    }
}

/// Upload ids referred to by any draft of this person.
async fn draft_uploads(c: &impl ConnectionTrait, personnummer: &str) -> Result<BTreeSet<Uuid>, DbErr> {
    let mut out = BTreeSet::new();
    for a in draft::Entity::find()
        .select_only()
        .column(draft::Column::Answers)
        .filter(draft::Column::Personnummer.eq(personnummer))
        .into_tuple::<serde_json::Value>()
        .all(c)
        .await?
    {
        uuids_in(&a, &mut out);
    }
    Ok(out)
}

/// Deletes up to `limit` drafts of a service not saved for its draft period,
/// each with the uploads only it referred to; the number deleted.
pub async fn purge_drafts(db: &Db, s: &ServiceRules, now: DateTime<Utc>, limit: u64) -> Result<u64, DbErr> {
    let before = cutoff(now, s.drafts);
    let due = draft::Entity::find()
        .select_only()
        .column(draft::Column::Id)
        .filter(draft::Column::ServiceId.eq(s.id))
        .filter(draft::Column::UpdatedAt.lt(before))
        .order_by_asc(draft::Column::UpdatedAt)
        .limit(limit)
        .into_tuple::<Uuid>()
        .all(db)
        .await?;
    let mut deleted = 0;
    for id in due {
        let txn = super::begin_write(db).await?;
        let Some(d) = draft::Entity::find_by_id(id).one(&txn).await? else {
            txn.rollback().await?;
            continue;
        };
        // Deleted only if still not saved since (a save or a submission meanwhile keeps or took it).
        let gone = draft::Entity::delete_many()
            .filter(draft::Column::Id.eq(id))
            .filter(draft::Column::UpdatedAt.lt(before))
            .exec(&txn)
            .await?;
        if gone.rows_affected != 1 {
            txn.rollback().await?;
            continue;
        }
        let mut mine = BTreeSet::new();
        uuids_in(&d.answers, &mut mine);
        let still_used = draft_uploads(&txn, &d.personnummer).await?;
        let mut files = BTreeSet::new();
        for upload_id in mine.difference(&still_used) {
            // Only the owner's upload that no case took meanwhile, and only what was deleted is queued.
            let res = upload::Entity::delete_many()
                .filter(upload::Column::Id.eq(*upload_id))
                .filter(upload::Column::Personnummer.eq(d.personnummer.clone()))
                .filter(upload::Column::CaseId.is_null())
                .exec(&txn)
                .await?;
            if res.rows_affected == 1 {
                files.insert(("uploads", upload_id.to_string()));
            }
        }
        queue_files(&txn, &files, Utc::now()).await?;
        txn.commit().await?;
        deleted += 1;
    }
    Ok(deleted)
}

/// Where the next page of loose uploads starts.
pub type UploadCursor = (DateTime<Utc>, Uuid);

/// Deletes loose files older than `hours` among up to `limit` candidates
/// after `after`: uploads no case took and no draft refers to, then
/// handlers' message files never sent. The number deleted, and where the
/// next page starts (`None`: done).
pub async fn purge_loose_files(
    db: &Db,
    now: DateTime<Utc>,
    hours: u32,
    after: Option<UploadCursor>,
    limit: u64,
) -> Result<(u64, Option<UploadCursor>), DbErr> {
    let before = now - chrono::Duration::hours(i64::from(hours));
    let mut q =
        upload::Entity::find().filter(upload::Column::CaseId.is_null()).filter(upload::Column::CreatedAt.lt(before));
    if let Some((at, id)) = after {
        q = q.filter(
            sea_orm::Condition::any()
                .add(upload::Column::CreatedAt.gt(at))
                .add(sea_orm::Condition::all().add(upload::Column::CreatedAt.eq(at)).add(upload::Column::Id.gt(id))),
        );
    }
    let candidates =
        q.order_by_asc(upload::Column::CreatedAt).order_by_asc(upload::Column::Id).limit(limit).all(db).await?;
    let next = if candidates.len() as u64 == limit { candidates.last().map(|u| (u.created_at, u.id)) } else { None };
    let mut referenced: BTreeMap<String, BTreeSet<Uuid>> = BTreeMap::new();
    let mut deleted = 0;
    for u in candidates {
        if let Some(p) = &u.personnummer {
            if !referenced.contains_key(p) {
                referenced.insert(p.clone(), draft_uploads(db, p).await?);
            }
            if referenced.get(p).is_some_and(|ids| ids.contains(&u.id)) {
                continue;
            }
        }
        let txn = super::begin_write(db).await?;
        let gone = upload::Entity::delete_many()
            .filter(upload::Column::Id.eq(u.id))
            .filter(upload::Column::CaseId.is_null())
            .exec(&txn)
            .await?;
        if gone.rows_affected == 1 {
            queue_files(&txn, &BTreeSet::from([("uploads", u.id.to_string())]), Utc::now()).await?;
            deleted += 1;
        }
        txn.commit().await?;
    }
    if next.is_some() {
        return Ok((deleted, next));
    }
    loop {
        let unsent = super::entity::message_attachment::Entity::find()
            .select_only()
            .column(super::entity::message_attachment::Column::Id)
            .filter(super::entity::message_attachment::Column::MessageId.is_null())
            .filter(super::entity::message_attachment::Column::Store.eq("documents"))
            .filter(super::entity::message_attachment::Column::CreatedAt.lt(before))
            .limit(limit)
            .into_tuple::<Uuid>()
            .all(db)
            .await?;
        let mut progress = 0;
        for id in &unsent {
            let txn = super::begin_write(db).await?;
            let gone =
                exec(&txn, "DELETE FROM message_attachments WHERE id = ? AND message_id IS NULL", vec![(*id).into()])
                    .await?;
            if gone == 1 {
                queue_files(&txn, &BTreeSet::from([("documents", id.to_string())]), Utc::now()).await?;
                progress += 1;
            }
            txn.commit().await?;
        }
        deleted += progress;
        // A short page, or one whose files were all sent meanwhile: done.
        if (unsent.len() as u64) < limit || progress == 0 {
            return Ok((deleted, None));
        }
    }
}

/// Deletes up to `limit` applicant sessions that ended or expired more than
/// `days` days ago; the number.
pub async fn purge_sessions(db: &Db, now: DateTime<Utc>, days: u32, limit: u64) -> Result<u64, DbErr> {
    let before = now - chrono::Duration::days(i64::from(days));
    exec(
        db,
        "DELETE FROM applicant_sessions WHERE id IN \
         (SELECT id FROM applicant_sessions WHERE expires_at < ? OR ended_at < ? LIMIT ?)",
        vec![before.into(), before.into(), i64::try_from(limit).unwrap_or(i64::MAX).into()],
    )
    .await
}

/// A file on the retry list.
#[derive(Debug, Clone)]
pub struct PendingFile {
    /// The entry's id.
    pub id: Uuid,
    /// `uploads` or `documents`.
    pub store: String,
    /// The file's key.
    pub key: String,
    /// Attempts so far.
    pub attempts: u32,
}

/// Up to `limit` files due for removal at `now`.
pub async fn pending_files(db: &Db, now: DateTime<Utc>, limit: u64) -> Result<Vec<PendingFile>, DbErr> {
    Ok(file_deletion::Entity::find()
        .filter(file_deletion::Column::NextAttemptAt.lte(now))
        .order_by_asc(file_deletion::Column::NextAttemptAt)
        .order_by_asc(file_deletion::Column::Id)
        .limit(limit)
        .all(db)
        .await?
        .into_iter()
        .map(|m| PendingFile {
            id: m.id,
            store: m.store,
            key: m.file_key,
            attempts: u32::try_from(m.attempts).unwrap_or(0),
        })
        .collect())
}

/// The files are gone: off the list.
pub async fn files_removed(db: &Db, ids: &[Uuid]) -> Result<(), DbErr> {
    if !ids.is_empty() {
        file_deletion::Entity::delete_many()
            .filter(file_deletion::Column::Id.is_in(ids.iter().copied()))
            .exec(db)
            .await?;
    }
    Ok(())
}

/// The removal failed: try again at `next`.
pub async fn file_failed(db: &Db, f: &PendingFile, error: &str, next: DateTime<Utc>) -> Result<(), DbErr> {
    file_deletion::Entity::update_many()
        .col_expr(file_deletion::Column::Attempts, Expr::value(i32::try_from(f.attempts + 1).unwrap_or(i32::MAX)))
        .col_expr(file_deletion::Column::LastError, Expr::value(error.chars().take(500).collect::<String>()))
        .col_expr(file_deletion::Column::NextAttemptAt, Expr::value(next))
        .filter(file_deletion::Column::Id.eq(f.id))
        .exec(db)
        .await?;
    Ok(())
}

/// Files waiting on the retry list.
pub async fn pending_file_count(db: &Db) -> Result<u64, DbErr> {
    file_deletion::Entity::find().count(db).await
}

/// Takes (or renews) the job's lease until `until`, unless another holder's
/// is still valid at `now`.
pub async fn take_lease(
    db: &Db,
    job: &str,
    holder: Uuid,
    now: DateTime<Utc>,
    until: DateTime<Utc>,
) -> Result<bool, DbErr> {
    let n = exec(
        db,
        "UPDATE job_leases SET holder = ?, locked_until = ? \
         WHERE name = ? AND (holder IS NULL OR holder = ? OR locked_until IS NULL OR locked_until < ?)",
        vec![holder.into(), until.into(), job.into(), holder.into(), now.into()],
    )
    .await?;
    Ok(n == 1)
}

/// Gives the lease back.
pub async fn release_lease(db: &Db, job: &str, holder: Uuid) -> Result<(), DbErr> {
    exec(
        db,
        "UPDATE job_leases SET holder = NULL, locked_until = NULL WHERE name = ? AND holder = ?",
        vec![job.into(), holder.into()],
    )
    .await?;
    Ok(())
}

/// Records the start of a run.
pub async fn start_run(db: &Db, id: Uuid, trigger: &str, as_of: DateTime<Utc>) -> Result<(), DbErr> {
    retention_run::ActiveModel {
        id: Set(id),
        trigger: Set(trigger.to_string()),
        as_of: Set(as_of),
        started_at: Set(Utc::now()),
        finished_at: Set(None),
        cases_purged: Set(0),
        drafts_deleted: Set(0),
        loose_files_deleted: Set(0),
        sessions_deleted: Set(0),
        files_deleted: Set(0),
        case_failures: Set(0),
        file_failures: Set(0),
    }
    .insert(db)
    .await?;
    Ok(())
}

fn i(v: u64) -> i64 {
    i64::try_from(v).unwrap_or(i64::MAX)
}
fn u(v: i64) -> u64 {
    u64::try_from(v).unwrap_or(0)
}

/// Records a run's figures (as they stand, or at its end when `finished`).
pub async fn save_run(db: &Db, r: &RetentionRunView, finished: bool) -> Result<(), DbErr> {
    retention_run::ActiveModel {
        id: Set(r.id),
        cases_purged: Set(i(r.cases_purged)),
        drafts_deleted: Set(i(r.drafts_deleted)),
        loose_files_deleted: Set(i(r.loose_files_deleted)),
        sessions_deleted: Set(i(r.sessions_deleted)),
        files_deleted: Set(i(r.files_deleted)),
        case_failures: Set(i(r.case_failures)),
        file_failures: Set(i(r.file_failures)),
        finished_at: if finished { Set(Some(Utc::now())) } else { sea_orm::ActiveValue::NotSet },
        ..Default::default()
    }
    .update(db)
    .await?;
    Ok(())
}

fn run_view(m: retention_run::Model) -> RetentionRunView {
    RetentionRunView {
        id: m.id,
        trigger: m.trigger,
        as_of: m.as_of,
        started_at: m.started_at,
        finished_at: m.finished_at,
        cases_purged: u(m.cases_purged),
        drafts_deleted: u(m.drafts_deleted),
        loose_files_deleted: u(m.loose_files_deleted),
        sessions_deleted: u(m.sessions_deleted),
        files_deleted: u(m.files_deleted),
        case_failures: u(m.case_failures),
        file_failures: u(m.file_failures),
    }
}

/// One run.
pub async fn get_run(db: &Db, id: Uuid) -> Result<Option<RetentionRunView>, DbErr> {
    Ok(retention_run::Entity::find_by_id(id).one(db).await?.map(run_view))
}

/// The latest runs, newest first.
pub async fn latest_runs(db: &Db, limit: u64) -> Result<Vec<RetentionRunView>, DbErr> {
    Ok(retention_run::Entity::find()
        .order_by_desc(retention_run::Column::StartedAt)
        .order_by_desc(retention_run::Column::Id)
        .limit(limit)
        .all(db)
        .await?
        .into_iter()
        .map(run_view)
        .collect())
}

/// Totals over every run: cases purged, files removed, failures.
pub async fn totals(db: &Db) -> Result<(u64, u64, u64), DbErr> {
    let row = db
        .query_one_raw(stmt(
            db.get_database_backend(),
            "SELECT CAST(COALESCE(SUM(cases_purged), 0) AS BIGINT) AS c, \
             CAST(COALESCE(SUM(files_deleted), 0) AS BIGINT) AS f, \
             CAST(COALESCE(SUM(case_failures + file_failures), 0) AS BIGINT) AS e FROM retention_runs",
            vec![],
        ))
        .await?;
    let Some(row) = row else { return Ok((0, 0, 0)) };
    Ok((u(row.try_get("", "c")?), u(row.try_get("", "f")?), u(row.try_get("", "e")?)))
}

fn record_view(m: purge_record::Model, slug: &str) -> Result<PurgeRecordView, DbErr> {
    Ok(PurgeRecordView {
        id: m.id,
        reference: m.reference,
        service: slug.to_string(),
        rule: if m.rule == "awaiting_signatures" { PurgeRule::AwaitingSignatures } else { PurgeRule::Closed },
        days: u32::try_from(m.days).unwrap_or(0),
        submitted_on: m.submitted_on,
        closed_on: m.closed_on,
        purged_at: m.purged_at,
        removed: super::stored(m.counts, "purge counts", m.id)?,
        access_log: m.access_log,
    })
}

/// A page of a service's purge log, newest first, before the record `before`.
pub async fn purge_log(
    db: &Db,
    s: &ServiceRules,
    before: Option<Uuid>,
    limit: u64,
) -> Result<Vec<PurgeRecordView>, DbErr> {
    let mut q = purge_record::Entity::find().filter(purge_record::Column::ServiceId.eq(s.id));
    if let Some(b) = before {
        q = q.filter(purge_record::Column::Id.lt(b));
    }
    q.order_by_desc(purge_record::Column::Id)
        .limit(limit)
        .all(db)
        .await?
        .into_iter()
        .map(|m| record_view(m, &s.slug))
        .collect()
}

/// A staff member's access-log entries of purged cases, newest first (the case
/// is gone; the reference is its purge record's).
pub async fn purged_access_of_staff(
    db: &Db,
    staff_id: Uuid,
    limit: u64,
) -> Result<Vec<shared::handling::AccessLogEntry>, DbErr> {
    let rows = db
        .query_all_raw(stmt(
            db.get_database_backend(),
            "SELECT p.reference AS reference, l.action AS action, l.at AS at, s.username AS username \
             FROM purged_access_log l JOIN purge_records p ON p.id = l.purge_record_id \
             JOIN staff_users s ON s.id = l.staff_user_id \
             WHERE l.staff_user_id = ? ORDER BY l.id DESC LIMIT ?",
            vec![staff_id.into(), i64::try_from(limit).unwrap_or(i64::MAX).into()],
        ))
        .await?;
    rows.iter()
        .map(|r| {
            Ok(shared::handling::AccessLogEntry {
                reference: r.try_get("", "reference")?,
                staff_id,
                staff_username: r.try_get("", "username")?,
                action: super::access_log::action_of(&r.try_get::<String>("", "action")?)?,
                at: r.try_get("", "at")?,
                purged: true,
            })
        })
        .collect()
}

/// Sets a legal hold on a case and logs it; false when the case is gone.
pub async fn set_legal_hold(
    db: &Db,
    case_id: Uuid,
    reason: &str,
    by_name: &str,
    by_staff: Uuid,
) -> Result<Option<DateTime<Utc>>, DbErr> {
    let now = Utc::now();
    let txn = super::begin_write(db).await?;
    let res = case::Entity::update_many()
        .col_expr(case::Column::LegalHoldReason, Expr::value(reason))
        .col_expr(case::Column::LegalHoldBy, Expr::value(by_name))
        .col_expr(case::Column::LegalHoldAt, Expr::value(now))
        .filter(case::Column::Id.eq(case_id))
        .exec(&txn)
        .await?;
    if res.rows_affected != 1 {
        txn.rollback().await?;
        return Ok(None);
    }
    super::access_log::record(&txn, case_id, by_staff, shared::handling::AccessAction::SetLegalHold).await?;
    txn.commit().await?;
    Ok(Some(now))
}

/// Lifts a case's legal hold and logs it; false when the case is gone.
pub async fn lift_legal_hold(db: &Db, case_id: Uuid, by_staff: Uuid) -> Result<bool, DbErr> {
    let txn = super::begin_write(db).await?;
    let res = case::Entity::update_many()
        .col_expr(case::Column::LegalHoldReason, Expr::value(Option::<String>::None))
        .col_expr(case::Column::LegalHoldBy, Expr::value(Option::<String>::None))
        .col_expr(case::Column::LegalHoldAt, Expr::value(Option::<DateTime<Utc>>::None))
        .filter(case::Column::Id.eq(case_id))
        .exec(&txn)
        .await?;
    if res.rows_affected != 1 {
        txn.rollback().await?;
        return Ok(false);
    }
    super::access_log::record(&txn, case_id, by_staff, shared::handling::AccessAction::LiftLegalHold).await?;
    txn.commit().await?;
    Ok(true)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(s: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(s).map(|d| d.with_timezone(&Utc)).unwrap_or_default()
    }

    #[test]
    fn a_case_closed_late_in_the_day_is_due_at_midnight_utc_of_the_day_plus_the_period() {
        assert_eq!(due_from(at("2026-01-01T23:59:59Z"), 30), Some(at("2026-01-31T00:00:00Z")));
        assert_eq!(due_on(at("2026-01-01T00:00:00Z"), 30), NaiveDate::from_ymd_opt(2026, 1, 31));
    }

    #[test]
    fn the_cutoff_includes_the_whole_closing_day_only_once_the_period_has_passed() {
        let closed = at("2026-01-01T23:59:59Z");
        // One second before the due instant the closing is not before the cutoff.
        assert!(closed >= cutoff(at("2026-01-30T23:59:59Z"), 30));
        // At the due instant it is.
        assert!(closed < cutoff(at("2026-01-31T00:00:00Z"), 30));
        assert_eq!(cutoff(at("2026-01-31T00:00:00Z"), 30), at("2026-01-02T00:00:00Z"));
    }

    #[test]
    fn a_time_zone_offset_in_the_closing_time_does_not_move_the_day() {
        // 00:30 in Stockholm on 2 January is 23:30 UTC on 1 January: day 1 counts.
        let closed = DateTime::parse_from_rfc3339("2026-01-02T00:30:00+01:00").map(|d| d.with_timezone(&Utc));
        assert_eq!(closed.ok().and_then(|c| due_on(c, 1)), NaiveDate::from_ymd_opt(2026, 1, 2));
    }

    #[test]
    fn upload_ids_are_found_anywhere_in_a_drafts_answers() {
        let a = Uuid::now_v7();
        let b = Uuid::now_v7();
        let answers = serde_json::json!({"namn": "Tolvan", "bilagor": [{"id": a.to_string(), "name": "x.pdf"}], "x": {"y": [b.to_string()]}});
        let mut out = BTreeSet::new();
        uuids_in(&answers, &mut out);
        assert_eq!(out, BTreeSet::from([a, b]));
    }
}
