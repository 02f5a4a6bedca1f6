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

mod files;
mod holds;
mod log;
mod purge;
mod runs;
mod sweeps;

use chrono::{DateTime, Days, NaiveDate, NaiveTime, Utc};
use sea_orm::prelude::*;
use sea_orm::{QueryOrder, QuerySelect};
use shared::StatusKind;
use shared::api::PurgeRule;

use super::entity::{case, draft, service};
use super::{Db, stmt};

pub use files::*;
pub use holds::*;
pub use log::*;
pub use purge::*;
pub use runs::*;
pub use sweeps::*;

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
}
