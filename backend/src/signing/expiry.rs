//! The deadline job: [`expire_due`] ends every signing attempt whose
//! co-signers did not all sign in time, and [`spawn_expiry`] runs it every
//! [`EXPIRY_INTERVAL`].

use std::time::Duration;

use actix_web::web;
use chrono::{DateTime, Utc};

use super::ended_mails;
use crate::state::AppState;

/// Attempts ended per batch by [`expire_due`].
const EXPIRY_BATCH: u64 = 200;
/// How often the expiry ticker looks for attempts past their deadline.
pub const EXPIRY_INTERVAL: Duration = Duration::from_secs(60);

/// Ends every attempt still awaiting signatures whose deadline is before
/// `as_of` (outcome `expired`, pending requests expired, status
/// `ej_inskickat`, the applicant mailed), batch by batch; the number ended.
pub async fn expire_due(state: &AppState, as_of: DateTime<Utc>) -> Result<u64, crate::error::JobError> {
    let db = &state.jobs_db;
    let mut ended = 0;
    loop {
        let due = crate::db::signatures::due_attempts(db, as_of, EXPIRY_BATCH).await?;
        let mut ended_now = 0;
        for a in &due {
            let mails = ended_mails(state, a.contact_email.clone(), a.language.as_deref());
            if crate::db::signatures::expire(db, a.case_id, as_of, &mails).await? {
                ended_now += 1;
            }
        }
        ended += ended_now;
        if ended_now > 0 {
            state.outbox_wake.notify_one();
        }
        // A short batch was the last; a batch in which nothing ended (others ended them) too.
        if (due.len() as u64) < EXPIRY_BATCH || ended_now == 0 {
            break;
        }
    }
    if ended > 0 {
        tracing::info!(attempts = ended, "signing attempts past their deadline ended");
    }
    Ok(ended)
}

/// Runs [`expire_due`] every [`EXPIRY_INTERVAL`] on this instance (started
/// with the instance's other background jobs: when `[retention] enabled`).
pub fn spawn_expiry(state: web::Data<AppState>) {
    tokio::spawn(async move {
        let mut ticks = tokio::time::interval(EXPIRY_INTERVAL);
        ticks.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            ticks.tick().await;
            if let Err(e) = expire_due(&state, Utc::now()).await {
                tracing::error!(error = %e, "ending signing attempts past their deadline failed; trying again later");
            }
        }
    });
}
