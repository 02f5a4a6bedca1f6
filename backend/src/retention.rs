//! The purge job ("gallring"): on a cron schedule (UTC; nightly by default)
//! one instance at a time — whoever holds the job's lease in the database —
//! purges the cases that are due, each in its own transaction (see
//! [`crate::db::retention`]), deletes abandoned drafts, loose uploads and
//! ended sessions, and then removes the purged files from storage from the
//! retry list, which keeps every file whose removal failed until a later run
//! removes it. Each run is recorded with its figures (the job's metrics).

use std::time::Duration;

use crate::db::DbErr;
use actix_web::web;
use chrono::{DateTime, Utc};
use serde::Deserialize;
use shared::api::{PurgeRule, RetentionRules, RetentionRunView};
use uuid::Uuid;

use crate::db::retention::{self as store, AccessLogMode, Defaults, ServiceRules};
use crate::state::AppState;

/// The job's name in `job_leases`.
const JOB: &str = "retention";

/// What a purge does to the staff's access-log entries of the case.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum AccessLogSetting {
    /// Keep who read the case and when, tied to the purge record instead of the case.
    #[default]
    Pseudonymise,
    /// Delete them with the case.
    Delete,
}

/// `[retention]`: the purge job and the platform's default periods.
#[derive(Debug, Clone, Deserialize)]
pub struct RetentionSettings {
    /// Whether this instance schedules the job (several may: one does the work).
    #[serde(default = "yes")]
    pub enabled: bool,
    /// When the job runs: cron with seconds first, in UTC (default 02:30:00 every night).
    #[serde(default = "default_schedule")]
    pub schedule: String,
    /// Cases (and drafts, files) handled per batch; the lease is renewed between batches.
    #[serde(default = "default_batch")]
    pub batch_size: u32,
    /// Default days a draft is kept after it was last saved.
    #[serde(default = "default_draft_days")]
    pub draft_days: u32,
    /// Default days a case may wait for its co-signers.
    #[serde(default = "default_signature_days")]
    pub awaiting_signatures_days: u32,
    /// Hours before an upload no case took and no draft refers to (or a handler's unsent
    /// message file) is deleted.
    #[serde(default = "default_upload_hours")]
    pub loose_file_hours: u32,
    /// Days an ended or expired applicant session's row is kept.
    #[serde(default = "default_session_days")]
    pub session_days: u32,
    /// `pseudonymise` (default) or `delete`.
    #[serde(default)]
    pub access_log: AccessLogSetting,
    /// Seconds a run's lease lasts without renewal; another instance may take over after it.
    #[serde(default = "default_lease")]
    pub lease_seconds: u32,
    /// Accept `as_of` in `POST /retention/runs` (purge as if at another instant): for tests
    /// and demonstrations only, never in production.
    #[serde(default)]
    pub allow_as_of: bool,
}

fn yes() -> bool {
    true
}
fn default_schedule() -> String {
    "0 30 2 * * *".into()
}
fn default_batch() -> u32 {
    200
}
fn default_draft_days() -> u32 {
    90
}
fn default_signature_days() -> u32 {
    30
}
fn default_upload_hours() -> u32 {
    24
}
fn default_session_days() -> u32 {
    1
}
fn default_lease() -> u32 {
    600
}

impl Default for RetentionSettings {
    fn default() -> Self {
        Self {
            enabled: true,
            schedule: default_schedule(),
            batch_size: default_batch(),
            draft_days: default_draft_days(),
            awaiting_signatures_days: default_signature_days(),
            loose_file_hours: default_upload_hours(),
            session_days: default_session_days(),
            access_log: AccessLogSetting::default(),
            lease_seconds: default_lease(),
            allow_as_of: false,
        }
    }
}

fn parse_schedule(s: &str) -> Result<croner::Cron, String> {
    croner::parser::CronParser::builder()
        .seconds(croner::parser::Seconds::Required)
        .dom_and_dow(true)
        .build()
        .parse(s)
        .map_err(|e| {
            format!("retention.schedule {s:?} is not a cron expression with seconds (e.g. \"0 30 2 * * *\"): {e}")
        })
}

impl RetentionSettings {
    /// Refuses settings the job cannot run with.
    pub fn check(&self) -> Result<(), String> {
        parse_schedule(&self.schedule)?;
        for (name, v) in [
            ("batch_size", self.batch_size),
            ("draft_days", self.draft_days),
            ("awaiting_signatures_days", self.awaiting_signatures_days),
            ("lease_seconds", self.lease_seconds),
        ] {
            if v == 0 {
                return Err(format!("retention.{name} must be at least 1"));
            }
        }
        if self.draft_days > 3650 || self.awaiting_signatures_days > 3650 {
            return Err("retention periods are at most 3650 days".into());
        }
        Ok(())
    }

    /// The platform's default periods.
    pub fn defaults(&self) -> Defaults {
        Defaults { drafts: self.draft_days, signatures: self.awaiting_signatures_days }
    }

    /// The next scheduled run after `now`.
    pub fn next_run(&self, now: DateTime<Utc>) -> Option<DateTime<Utc>> {
        parse_schedule(&self.schedule).ok()?.find_next_occurrence(&now, false).ok()
    }

    fn mode(&self) -> AccessLogMode {
        match self.access_log {
            AccessLogSetting::Pseudonymise => AccessLogMode::Pseudonymise,
            AccessLogSetting::Delete => AccessLogMode::Delete,
        }
    }
}

/// The periods that apply to a service.
pub fn rules(view_closing: u32, drafts: Option<u32>, signatures: Option<u32>, s: &RetentionSettings) -> RetentionRules {
    RetentionRules {
        days_after_closing: view_closing,
        days_for_drafts: drafts.unwrap_or(s.draft_days),
        days_awaiting_signatures: signatures.unwrap_or(s.awaiting_signatures_days),
    }
}

/// Fills in a service view's effective periods.
pub fn complete(mut v: shared::api::ServiceView, s: &RetentionSettings) -> shared::api::ServiceView {
    v.retention =
        rules(v.retention_days_after_closing, v.retention_days_for_drafts, v.retention_days_awaiting_signatures, s);
    v
}

/// Why a run did not happen.
#[derive(Debug, thiserror::Error)]
pub enum RunError {
    /// Another instance holds the lease.
    #[error("another instance is running the purge")]
    Busy,
    /// The database failed.
    #[error(transparent)]
    Db(#[from] DbErr),
}

/// The job's lease in the database, renewed after every batch.
struct Lease<'a> {
    db: &'a crate::db::Db,
    holder: Uuid,
    length: chrono::Duration,
}

impl Lease<'_> {
    /// Takes or renews the lease; `Busy` when another holder has it.
    async fn renew(&self) -> Result<(), RunError> {
        if store::take_lease(self.db, JOB, self.holder, Utc::now(), Utc::now() + self.length).await? {
            Ok(())
        } else {
            Err(RunError::Busy)
        }
    }
}

/// Runs the job once, purging as of `as_of` (the current time but in tests),
/// unless another instance holds the lease. A run that loses its lease midway
/// (it stalled longer than `lease_seconds`) stops after its batch, recorded as
/// finished with what it did.
pub async fn run(state: &AppState, as_of: DateTime<Utc>, trigger: &str) -> Result<RetentionRunView, RunError> {
    let cfg = &state.settings.retention;
    let lease = Lease {
        db: &state.jobs_db,
        holder: Uuid::new_v4(),
        length: chrono::Duration::seconds(i64::from(cfg.lease_seconds)),
    };
    lease.renew().await?;
    let db = &state.jobs_db;
    let id = Uuid::now_v7();
    let started = async {
        store::start_run(db, id, trigger, as_of).await?;
        store::get_run(db, id).await?.ok_or_else(|| DbErr::RecordNotFound("the run just started".into()))
    }
    .await;
    let result = match started {
        Ok(mut r) => {
            let outcome = run_holding(state, as_of, &lease, &mut r).await;
            match store::save_run(db, &r, true).await {
                Ok(()) => outcome.map(|()| r),
                Err(e) => outcome.and(Err(RunError::Db(e))),
            }
        }
        Err(e) => Err(RunError::Db(e)),
    };
    if let Err(e) = store::release_lease(db, JOB, lease.holder).await {
        tracing::warn!(error = %e, "releasing the retention lease failed; it expires by itself");
    }
    // Deleted rows' bytes are zeroed (secure_delete); this also empties SQLite's write-ahead log.
    if let Err(e) = crate::db::checkpoint(db).await {
        tracing::warn!(error = %e, "checkpointing the SQLite log after the purge failed");
    }
    let r = result?;
    let r = store::get_run(db, r.id).await?.unwrap_or(r);
    tracing::info!(
        run = %r.id,
        cases_purged = r.cases_purged,
        drafts_deleted = r.drafts_deleted,
        loose_files_deleted = r.loose_files_deleted,
        files_deleted = r.files_deleted,
        case_failures = r.case_failures,
        file_failures = r.file_failures,
        "retention run finished"
    );
    Ok(r)
}

async fn run_holding(
    state: &AppState,
    as_of: DateTime<Utc>,
    lease: &Lease<'_>,
    r: &mut RetentionRunView,
) -> Result<(), RunError> {
    let cfg = &state.settings.retention;
    let db = &state.jobs_db;
    let batch = u64::from(cfg.batch_size);
    // Signing attempts past their deadline end first (as of the same instant), so that the
    // awaiting-signatures rule below sees them as they are.
    if let Err(e) = crate::signing::expire_due(state, as_of).await {
        tracing::error!(error = %e, "ending signing attempts past their deadline failed");
    }
    for s in store::all_rules(db, cfg.defaults()).await? {
        for rule in [PurgeRule::Closed, PurgeRule::AwaitingSignatures] {
            purge_service_cases(state, &s, rule, as_of, lease, r).await?;
        }
        loop {
            match store::purge_drafts(db, &s, as_of, batch).await {
                Ok(n) => {
                    r.drafts_deleted += n;
                    lease.renew().await?;
                    if n == 0 {
                        break;
                    }
                }
                Err(e) => {
                    tracing::error!(error = %e, service = %s.slug, "deleting abandoned drafts failed");
                    r.case_failures += 1;
                    break;
                }
            }
        }
        remove_files(state, as_of, lease, r).await?;
        store::save_run(db, r, false).await?;
    }
    let mut after = None;
    loop {
        match store::purge_loose_files(db, as_of, cfg.loose_file_hours, after, batch).await {
            Ok((n, next)) => {
                r.loose_files_deleted += n;
                lease.renew().await?;
                match next {
                    Some(c) => after = Some(c),
                    None => break,
                }
            }
            Err(e) => {
                tracing::error!(error = %e, "deleting loose files failed");
                r.file_failures += 1;
                break;
            }
        }
    }
    loop {
        match store::purge_sessions(db, as_of, cfg.session_days, batch).await {
            Ok(n) => {
                r.sessions_deleted += n;
                lease.renew().await?;
                if n < batch {
                    break;
                }
            }
            Err(e) => {
                tracing::error!(error = %e, "deleting ended sessions failed");
                break;
            }
        }
    }
    remove_files(state, as_of, lease, r).await?;
    Ok(())
}

/// Purges a service's due cases under one rule, batch by batch, after the
/// last case seen (a case that failed is not retried in the same run).
async fn purge_service_cases(
    state: &AppState,
    s: &ServiceRules,
    rule: PurgeRule,
    as_of: DateTime<Utc>,
    lease: &Lease<'_>,
    r: &mut RetentionRunView,
) -> Result<(), RunError> {
    let batch = u64::from(state.settings.retention.batch_size);
    let mode = state.settings.retention.mode();
    let run_id = r.id;
    let mut after = None;
    loop {
        let due = store::due_cases(&state.jobs_db, s, rule, as_of, after, batch).await?;
        for c in &due {
            match store::purge_case(&state.jobs_db, c.id, rule, s, as_of, mode, Some(run_id)).await {
                Ok(Some(_)) => r.cases_purged += 1,
                Ok(None) => {}
                Err(e) => {
                    // The reference is no personal data; the case stays for the next run.
                    tracing::error!(error = %e, case = %c.reference, "purging a case failed");
                    r.case_failures += 1;
                }
            }
        }
        after = due.last().map(|c| c.cursor());
        remove_files(state, as_of, lease, r).await?;
        store::save_run(&state.jobs_db, r, false).await?;
        lease.renew().await?;
        if after.is_none() {
            return Ok(());
        }
    }
}

/// Removes the files on the retry list that were due when it started, batch
/// by batch; a failure stays on the list, due again after a growing delay
/// (so it is not tried twice in one call).
async fn remove_files(
    state: &AppState,
    as_of: DateTime<Utc>,
    lease: &Lease<'_>,
    r: &mut RetentionRunView,
) -> Result<(), RunError> {
    let batch = u64::from(state.settings.retention.batch_size);
    let due_at = Utc::now().max(as_of);
    loop {
        let files = store::pending_files(&state.jobs_db, due_at, batch).await?;
        let mut removed = Vec::with_capacity(files.len());
        for f in &files {
            let target = if f.store == "uploads" { &state.storage.uploads } else { &state.storage.documents };
            match target.delete(&f.key).await {
                Ok(()) => {
                    removed.push(f.id);
                    r.files_deleted += 1;
                }
                Err(e) => {
                    tracing::warn!(error = %e, store = %f.store, "removing a purged file failed; it stays on the retry list");
                    let wait = chrono::Duration::minutes(1i64 << f.attempts.min(10));
                    store::file_failed(&state.jobs_db, f, &e.to_string(), Utc::now().max(due_at) + wait).await?;
                    r.file_failures += 1;
                }
            }
        }
        store::files_removed(&state.jobs_db, &removed).await?;
        lease.renew().await?;
        if (files.len() as u64) < batch {
            return Ok(());
        }
    }
}

/// Schedules the job on this instance (when `[retention] enabled`).
pub fn spawn(state: web::Data<AppState>) {
    if !state.settings.retention.enabled {
        return;
    }
    let schedule = state.settings.retention.schedule.clone();
    tokio::spawn(async move {
        let scheduler = match tokio_cron_scheduler::JobScheduler::new().await {
            Ok(s) => s,
            Err(e) => {
                tracing::error!(error = %e, "the retention scheduler could not start");
                return;
            }
        };
        let job = tokio_cron_scheduler::Job::new_async(schedule.as_str(), move |_, _| {
            let state = state.clone();
            Box::pin(async move {
                match run(&state, Utc::now(), "schedule").await {
                    Ok(_) => {}
                    Err(RunError::Busy) => tracing::info!("another instance is running the purge"),
                    Err(RunError::Db(e)) => tracing::error!(error = %e, "the retention run failed"),
                }
            })
        });
        let added = match job {
            Ok(job) => scheduler.add(job).await.map(|_| ()),
            Err(e) => Err(e),
        };
        if let Err(e) = added {
            tracing::error!(error = %e, "the retention job could not be scheduled");
            return;
        }
        if let Err(e) = scheduler.start().await {
            tracing::error!(error = %e, "the retention scheduler could not start");
            return;
        }
        // The scheduler runs on its own tasks; keep it alive with the process.
        loop {
            tokio::time::sleep(Duration::from_secs(3600)).await;
        }
    });
}

/// The purge log as CSV (RFC 4180, a header row, UTF-8).
pub fn purge_log_csv(items: &[shared::api::PurgeRecordView]) -> String {
    let mut out = String::from(
        "id,reference,service,rule,days,submitted_on,closed_on,purged_at,answers,status_changes,messages,\
         message_files,notes,supplements,documents,uploads,signatures,access_log_entries,outbox_items,downloads,\
         files,access_log\r\n",
    );
    for p in items {
        let c = &p.removed;
        let fields = [
            p.id.to_string(),
            p.reference.clone(),
            p.service.clone(),
            p.rule.as_str().to_string(),
            p.days.to_string(),
            p.submitted_on.to_string(),
            p.closed_on.map(|d| d.to_string()).unwrap_or_default(),
            p.purged_at.to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
            c.answers.to_string(),
            c.status_changes.to_string(),
            c.messages.to_string(),
            c.message_files.to_string(),
            c.notes.to_string(),
            c.supplements.to_string(),
            c.documents.to_string(),
            c.uploads.to_string(),
            c.signatures.to_string(),
            c.access_log_entries.to_string(),
            c.outbox_items.to_string(),
            c.downloads.to_string(),
            c.files.to_string(),
            p.access_log.clone(),
        ];
        out.push_str(&fields.iter().map(|f| csv_field(f)).collect::<Vec<_>>().join(","));
        out.push_str("\r\n");
    }
    out
}

/// One CSV field: quoted when it holds a comma, quote or line break; a leading
/// `=`, `+`, `-`, `@`, tab or carriage return is prefixed with `'` so a spreadsheet does not run it.
fn csv_field(f: &str) -> String {
    let f = if f.starts_with(['=', '+', '-', '@', '\t', '\r']) { format!("'{f}") } else { f.to_string() };
    if f.contains([',', '"', '\r', '\n']) { format!("\"{}\"", f.replace('"', "\"\"")) } else { f }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_default_schedule_is_nightly_at_half_past_two_utc() {
        let s = RetentionSettings::default();
        assert!(s.check().is_ok());
        let now =
            DateTime::parse_from_rfc3339("2026-11-27T03:00:00Z").map(|d| d.with_timezone(&Utc)).unwrap_or_default();
        assert_eq!(s.next_run(now).map(|d| d.to_rfc3339()), Some("2026-11-28T02:30:00+00:00".to_string()));
    }

    #[test]
    fn a_schedule_that_is_not_cron_with_seconds_is_refused_with_the_reason() {
        let s = RetentionSettings { schedule: "every night".into(), ..Default::default() };
        assert!(s.check().is_err_and(|e| e.contains("retention.schedule")));
        let s = RetentionSettings { schedule: "30 2 * * *".into(), ..Default::default() };
        assert!(s.check().is_err());
    }

    #[test]
    fn zero_periods_and_batches_are_refused() {
        assert!(RetentionSettings { batch_size: 0, ..Default::default() }.check().is_err());
        assert!(RetentionSettings { draft_days: 0, ..Default::default() }.check().is_err());
        assert!(RetentionSettings { awaiting_signatures_days: 4000, ..Default::default() }.check().is_err());
    }

    #[test]
    fn csv_fields_are_quoted_and_formulas_defused() {
        assert_eq!(csv_field("HBG-2026-000001"), "HBG-2026-000001");
        assert_eq!(csv_field("a,b"), "\"a,b\"");
        assert_eq!(csv_field("say \"hi\""), "\"say \"\"hi\"\"\"");
        assert_eq!(csv_field("=1+1"), "'=1+1");
    }

    #[test]
    fn a_services_own_periods_win_over_the_platforms() {
        let s = RetentionSettings::default();
        assert_eq!(
            rules(30, Some(10), None, &s),
            RetentionRules { days_after_closing: 30, days_for_drafts: 10, days_awaiting_signatures: 30 }
        );
    }
}
