//! The signatures in progress, in memory: [`Signings`], the map from an
//! opaque signing id to its BankID order and what to store once it is made
//! (at most one per person, bounded, forgotten after [`SIGNING_TTL`]), and
//! the cancelling of the BankID orders of the signatures it replaces.

use std::collections::HashMap;
use std::sync::{Arc, MutexGuard};
use std::time::Instant;

use rand::RngCore;
use shared::FieldError;
use shared::signing::SigningProgress;
use uuid::Uuid;

use super::applicant::ApplicantOrder;
use super::{MAX_SIGNINGS, SIGNING_TTL, StartFailure};
use crate::eid::bankid::SignatureEvidence;
use crate::eid::bankid::service::LoginError;
use crate::error::{AppError, ErrorCode};
use crate::expiring::Expiring;
use crate::state::AppState;

/// A final refusal of a completed signature, remembered so that a re-poll answers the same.
#[derive(Debug, Clone)]
pub(super) enum Refusal {
    Coded(ErrorCode, String),
    NotFound(String),
    Validation(Vec<FieldError>),
}

impl Refusal {
    /// A final refusal, or `None` for an error worth trying again (the database, the register).
    pub(super) fn of(e: &AppError) -> Option<Self> {
        match e {
            AppError::Coded { code, message } if [409, 422].contains(&code.status()) => {
                Some(Refusal::Coded(*code, message.clone()))
            }
            AppError::NotFound(m) => Some(Refusal::NotFound(m.clone())),
            AppError::Validation(v) => Some(Refusal::Validation(v.clone())),
            _ => None,
        }
    }

    pub(super) fn error(&self) -> AppError {
        match self {
            Refusal::Coded(code, m) => AppError::new(*code, m.clone()),
            Refusal::NotFound(m) => AppError::NotFound(m.clone()),
            Refusal::Validation(v) => AppError::Validation(v.clone()),
        }
    }
}

pub(super) enum Kind {
    Applicant(Box<ApplicantOrder>),
    CoSigner { request_id: Uuid, digest: String },
}

/// A signature not yet finished: what to store once it is made.
pub(super) struct Live {
    pub(super) kind: Kind,
    /// BankID's evidence, once it gave it and storing it failed for a reason worth trying again.
    pub(super) evidence: Option<SignatureEvidence>,
}

pub(super) enum Progress {
    /// The BankID order is in progress (no evidence yet), or its evidence waits to be stored again.
    Live(Box<Live>),
    /// Done: the answer every later poll gets. The prepared submission is dropped.
    Finished(Box<Result<SigningProgress, Refusal>>),
}

impl Progress {
    pub(super) fn pending(kind: Kind) -> tokio::sync::Mutex<Self> {
        tokio::sync::Mutex::new(Progress::Live(Box::new(Live { kind, evidence: None })))
    }

    /// True while the BankID order may still be open (nothing came back from it yet).
    pub(super) fn order_open(&self) -> bool {
        matches!(self, Progress::Live(live) if live.evidence.is_none())
    }
}

pub(super) struct Entry {
    pub(super) owner: String,
    pub(super) started: Instant,
    pub(super) bankid_id: String,
    pub(super) progress: tokio::sync::Mutex<Progress>,
}

/// The signatures in progress, by signing id (see the module docs): at most
/// one per person (a new start replaces the person's previous one).
pub struct Signings {
    entries: Expiring<Arc<Entry>>,
}

impl Default for Signings {
    fn default() -> Self {
        Self { entries: Expiring::new(SIGNING_TTL, |e| e.started) }
    }
}

impl std::fmt::Debug for Signings {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Signings { .. }")
    }
}

fn random_id() -> String {
    let mut bytes = [0u8; 24];
    rand::thread_rng().fill_bytes(&mut bytes);
    hex::encode(bytes)
}

impl Signings {
    fn lock(&self) -> MutexGuard<'_, HashMap<String, Arc<Entry>>> {
        self.entries.live()
    }

    /// The number of signatures remembered.
    pub fn in_progress(&self) -> usize {
        self.lock().len()
    }

    /// Forgets every signature of `owner`'s; the ones forgotten (to cancel their BankID orders).
    pub(super) fn take_of(&self, owner: &str) -> Vec<Arc<Entry>> {
        let mut entries = self.lock();
        let ids: Vec<String> = entries.iter().filter(|(_, e)| e.owner == owner).map(|(id, _)| id.clone()).collect();
        ids.into_iter().filter_map(|id| entries.remove(&id)).collect()
    }

    /// Remembers `entry` under a new id (`Err` with the entry when the map is full),
    /// forgetting any other signature of its owner's (returned, to cancel).
    pub(super) fn insert(&self, entry: Entry) -> (Result<String, Entry>, Vec<Arc<Entry>>) {
        let mut entries = self.lock();
        let ids: Vec<String> =
            entries.iter().filter(|(_, e)| e.owner == entry.owner).map(|(id, _)| id.clone()).collect();
        let replaced: Vec<Arc<Entry>> = ids.into_iter().filter_map(|id| entries.remove(&id)).collect();
        if entries.len() >= MAX_SIGNINGS {
            return (Err(entry), replaced);
        }
        let id = random_id();
        entries.insert(id.clone(), Arc::new(entry));
        (Ok(id), replaced)
    }

    /// A signature of `owner`'s; `None` for anyone else's or an unknown id.
    pub(super) fn get(&self, id: &str, owner: &str) -> Option<Arc<Entry>> {
        self.lock().get(id).filter(|e| e.owner == owner).cloned()
    }

    pub(super) fn remove(&self, id: &str) {
        self.lock().remove(id);
    }
}

/// Cancels the BankID orders of signatures that were replaced or forgotten (those still open).
pub(super) async fn cancel_orders(bankid: &crate::eid::bankid::BankIdService, entries: Vec<Arc<Entry>>) {
    for entry in entries {
        let current = entry.progress.lock().await;
        if current.order_open()
            && let Err(e) = bankid.cancel_sign_order(&entry.bankid_id).await
            && !matches!(e, LoginError::NotFound)
        {
            tracing::warn!(error = %e, "cancelling a replaced BankID signature failed");
        }
    }
}

/// Remembers a started signature, replacing the person's previous one; a full map cancels the new order.
pub(super) async fn remember(
    state: &AppState,
    bankid: &crate::eid::bankid::BankIdService,
    entry: Entry,
) -> Result<String, StartFailure> {
    let (inserted, replaced) = state.signings.insert(entry);
    // Another start by the same person that raced this one.
    cancel_orders(bankid, replaced).await;
    match inserted {
        Ok(id) => Ok(id),
        Err(entry) => {
            let _ = bankid.cancel_sign_order(&entry.bankid_id).await;
            Err(StartFailure::BankIdUnavailable("too many signatures are in progress".into()))
        }
    }
}
