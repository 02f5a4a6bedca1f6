//! The delivery worker: claims due items, renders and sends them, and marks
//! each sent, due again later (exponential backoff with jitter), or dead
//! after `max_attempts` (or at once when retrying cannot help).
//!
//! Delivery is at least once: a worker that dies between sending and marking
//! leaves the item claimed until its lease runs out; then it is sent again,
//! with the same Message-ID, so the duplicate is recognisable.

use std::sync::Arc;
use std::time::Duration;

use actix_web::web;
use chrono::Utc;
use rand::Rng;
use tokio::sync::Semaphore;

use crate::db::entity::outbox;
use crate::mail::SendError;
use crate::state::AppState;

/// Starts the worker loop: it runs a round whenever it is woken (after a
/// commit that queued mail) or the poll interval has passed.
pub fn spawn(state: web::Data<AppState>) -> tokio::task::JoinHandle<()> {
    tokio::spawn(async move {
        let s = &state.settings.mail.outbox;
        let poll = Duration::from_millis(s.poll_interval_ms.max(10));
        loop {
            let claimed = match run_once(&state).await {
                Ok(n) => n,
                Err(e) => {
                    tracing::warn!(error = %e, "outbox: a delivery round failed; trying again");
                    0
                }
            };
            // A full batch: more may be due at once.
            if claimed >= s.batch_size.max(1).min(u32::try_from(s.concurrency.max(1)).unwrap_or(u32::MAX)) as usize {
                continue;
            }
            tokio::select! {
                _ = state.outbox_wake.notified() => {}
                _ = tokio::time::sleep(poll) => {}
            }
        }
    })
}

/// One round: claims up to a batch of due items and delivers them, a few at
/// a time. Returns how many were claimed.
pub async fn run_once(state: &web::Data<AppState>) -> Result<usize, crate::error::JobError> {
    let s = &state.settings.mail.outbox;
    let lease = chrono::Duration::seconds(s.lease_seconds.max(1) as i64);
    // Claim no more than can be sent at once, so no claimed item waits for a
    // send slot while its lease runs out (another instance would send it too).
    let limit = s.batch_size.max(1).min(u32::try_from(s.concurrency.max(1)).unwrap_or(u32::MAX));
    let items = crate::db::outbox::claim(&state.db, Utc::now(), lease, limit).await?;
    let n = items.len();
    let permits = Arc::new(Semaphore::new(s.concurrency.max(1)));
    let mut tasks = tokio::task::JoinSet::new();
    for item in items {
        let state = state.clone();
        let permits = permits.clone();
        tasks.spawn(async move {
            let _permit = permits.acquire_owned().await;
            deliver(&state, item).await;
        });
    }
    while tasks.join_next().await.is_some() {}
    Ok(n)
}

/// Renders and sends one claimed item, and records the outcome.
pub async fn deliver(state: &AppState, item: outbox::Model) {
    let Some(claim) = item.claim_token else {
        // Only a claimed item is sent: without its claim the outcome could not be recorded, and
        // the mail would go again when the lease runs out.
        tracing::error!(outbox.id = %item.id, "outbox: an item without a claim was not sent; its lease will run out");
        return;
    };
    let outcome = match super::render(state, &item).await {
        Ok(mail) => state.mail.send(&mail).await,
        Err(super::RenderError::Db(e)) => Err(SendError::Transient(format!("database: {e}"))),
        Err(e) => Err(SendError::Permanent(e.to_string())),
    };
    let max_attempts = state.settings.mail.outbox.max_attempts.max(1);
    let recorded = match &outcome {
        Ok(()) => {
            tracing::info!(outbox.id = %item.id, mail.message_id = %item.message_id, outbox.event = %item.event, outbox.attempt = item.attempts, "mail sent");
            crate::db::outbox::mark_sent(&state.db, item.id, claim, Utc::now()).await
        }
        Err(SendError::Transient(e)) if (item.attempts.max(0) as u32) < max_attempts => {
            let retry_at = Utc::now() + backoff(&state.settings.mail.outbox, item.attempts.max(1) as u32);
            // The error text may quote the recipient's address: it goes to `last_error`, not the log.
            tracing::warn!(outbox.id = %item.id, outbox.attempt = item.attempts, retry_at = %retry_at, "mail not sent; will retry");
            crate::db::outbox::mark_failed(&state.db, item.id, claim, e, Some(retry_at)).await
        }
        Err(SendError::Transient(e) | SendError::Permanent(e)) => {
            tracing::error!(outbox.id = %item.id, outbox.attempt = item.attempts, "mail dead-lettered; staff can retry it");
            crate::db::outbox::mark_failed(&state.db, item.id, claim, e, None).await
        }
    };
    match recorded {
        Ok(true) => {}
        // The lease ran out and another worker claimed the item: its outcome wins.
        Ok(false) => {
            tracing::warn!(outbox.id = %item.id, "outbox: the item was claimed again meanwhile; outcome not recorded")
        }
        // The lease runs out and the item is tried again: at least once.
        Err(e) => tracing::warn!(outbox.id = %item.id, error = %e, "outbox: the outcome could not be recorded"),
    }
}

/// The wait before attempt `attempt + 1`: base · 2^(attempt−1), at most the
/// maximum, times a random factor in [0.5, 1] so that retries spread out.
fn backoff(s: &crate::mail::OutboxSettings, attempt: u32) -> chrono::Duration {
    let exp = s.backoff_base_ms.saturating_mul(1u64 << attempt.saturating_sub(1).min(32));
    let capped = exp.min(s.backoff_max_ms.max(1));
    let jittered = (capped as f64 * rand::thread_rng().gen_range(0.5..=1.0)) as i64;
    chrono::Duration::milliseconds(jittered.max(1))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_wait_doubles_per_attempt_with_jitter_and_stays_under_the_maximum() {
        let s = crate::mail::OutboxSettings { backoff_base_ms: 1_000, backoff_max_ms: 60_000, ..Default::default() };
        for _ in 0..200 {
            let first = backoff(&s, 1).num_milliseconds();
            assert!((500..=1_000).contains(&first), "{first}");
            let third = backoff(&s, 3).num_milliseconds();
            assert!((2_000..=4_000).contains(&third), "{third}");
            let late = backoff(&s, 40).num_milliseconds();
            assert!((30_000..=60_000).contains(&late), "{late}");
        }
    }
}
