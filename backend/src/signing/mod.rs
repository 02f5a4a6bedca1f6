//! Signing and multiple signing (see `shared::signing` for the settings and
//! API types).
//!
//! **The applicant's signature.** `start_applicant` checks the answers exactly
//! as a submission (`submission::prepare`), computes their [`digest`],
//! resolves the co-signers ([`co_signers`]), writes the [`summary`] and starts
//! a BankID `sign` order bound to the applicant's personnummer. The prepared
//! submission waits in memory ([`Signings`], bounded, forgotten after
//! [`SIGNING_TTL`]) under an opaque signing id that only the person who
//! started it can poll. Each person has at most one signature there: a new
//! start (as applicant or co-signer) cancels the previous one's BankID order
//! and replaces it. Once a signature has finished or failed, only the answer
//! re-polls get is kept (the prepared submission is dropped). The poll that sees BankID complete stores, in one
//! transaction, the case, the applicant's signature with its evidence and the
//! co-signers' pending requests: the case is submitted at once when nobody
//! else must sign, else it awaits their signatures (hidden from handlers) and
//! each co-signer with an address is mailed.
//!
//! **A co-signer's signature.** The co-signer sees only the request (service
//! name, summary, digest, dates); signing starts a BankID order bound to
//! their personnummer with the same text and digest. On completion the
//! request is signed in one transaction that first checks that the case's
//! answers still give the digest; the last signature submits the case
//! (the first *submitted* status, `submitted_at` = now, the `CASE_SUBMITTED`
//! mails). A decline, or the deadline ([`expire_due`]), ends the attempt and
//! tells the applicant that the application was not submitted.

pub mod co_signers;
pub mod digest;
pub mod summary;

use std::collections::HashMap;
use std::net::IpAddr;
use std::sync::{Arc, MutexGuard};
use std::time::{Duration, Instant};

use actix_web::web;
use chrono::{DateTime, Utc};
use rand::RngCore;
use sha2::{Digest as _, Sha256};
use shared::FieldError;
use shared::api::{ApplicantCase, BankIdLoginStatus};
use shared::signing::{
    SignatureRequestView, SignatureRole, SignatureState, SigningOutcome, SigningProgress, SigningStarted,
    StartSigningRequest,
};
use uuid::Uuid;

use crate::auth::extract::Applicant;
use crate::db::services::ServiceRef;
use crate::db::signatures::{NewSignature, NewSigning, RequestOutcome, SignedBy};
use crate::eid::bankid::SignatureEvidence;
use crate::eid::bankid::client::{CollectStatus, ErrorCode as BankIdCode};
use crate::eid::bankid::messages::{Flow, Rfa};
use crate::eid::bankid::service::LoginError;
use crate::error::{AppError, ErrorCode};
use crate::expiring::Expiring;
use crate::outbox::Language;
use crate::state::AppState;
use crate::submission::{Preparation, Prepared, Submission, Submitted};

use co_signers::CoSigner;

/// How long a signature is remembered after it started (longer than a BankID
/// order lives, so a finished one can be polled again for a while).
pub const SIGNING_TTL: Duration = Duration::from_secs(15 * 60);
/// Most signatures in progress at once.
pub const MAX_SIGNINGS: usize = 10_000;
/// The e-ID provider recorded with BankID signatures.
pub const PROVIDER: &str = "BankID";
/// Longest message a co-signer may send when declining, in characters.
pub const MAX_DECLINE_MESSAGE: usize = 1000;
/// Attempts ended per batch by [`expire_due`].
const EXPIRY_BATCH: u64 = 200;
/// How often the expiry ticker looks for attempts past their deadline.
pub const EXPIRY_INTERVAL: Duration = Duration::from_secs(60);

/// Why a signature could not start.
#[derive(Debug)]
pub enum StartFailure {
    /// Refused (the error says why).
    App(AppError),
    /// BankID is temporarily unavailable or too busy (503 `bankid_unavailable`, RFA5).
    BankIdUnavailable(String),
}

impl From<AppError> for StartFailure {
    fn from(e: AppError) -> Self {
        StartFailure::App(e)
    }
}

impl From<crate::db::DbErr> for StartFailure {
    fn from(e: crate::db::DbErr) -> Self {
        StartFailure::App(e.into())
    }
}

fn bankid_start_failure(e: LoginError) -> StartFailure {
    match e {
        LoginError::BankId(e) if e.code() == Some(&BankIdCode::AlreadyInProgress) => {
            StartFailure::App(AppError::new(ErrorCode::BankidAlreadyInProgress, Rfa::Rfa4.message().en))
        }
        LoginError::TooManyForClient => StartFailure::App(LoginError::too_many_for_client()),
        e @ LoginError::Busy => StartFailure::BankIdUnavailable(e.to_string()),
        LoginError::BankId(e) if e.is_temporary() => StartFailure::BankIdUnavailable(e.to_string()),
        e => StartFailure::App(AppError::internal(e)),
    }
}

/// A final refusal of a completed signature, remembered so that a re-poll answers the same.
#[derive(Debug, Clone)]
enum Refusal {
    Coded(ErrorCode, String),
    NotFound(String),
    Validation(Vec<FieldError>),
}

impl Refusal {
    /// A final refusal, or `None` for an error worth trying again (the database, the register).
    fn of(e: &AppError) -> Option<Self> {
        match e {
            AppError::Coded { code, message } if [409, 422].contains(&code.status()) => {
                Some(Refusal::Coded(*code, message.clone()))
            }
            AppError::NotFound(m) => Some(Refusal::NotFound(m.clone())),
            AppError::Validation(v) => Some(Refusal::Validation(v.clone())),
            _ => None,
        }
    }

    fn error(&self) -> AppError {
        match self {
            Refusal::Coded(code, m) => AppError::new(*code, m.clone()),
            Refusal::NotFound(m) => AppError::NotFound(m.clone()),
            Refusal::Validation(v) => AppError::Validation(v.clone()),
        }
    }
}

/// An applicant's signature in progress: what to store once it is made.
struct ApplicantOrder {
    service: ServiceRef,
    applicant: Applicant,
    upload_token: Option<String>,
    prepared: Prepared,
    idempotency_key: Option<String>,
    request_hash: String,
    draft: Option<Uuid>,
    language: Language,
    summary: String,
    digest: String,
    co_signers: Vec<CoSigner>,
    deadline_days: u32,
    requested_at: DateTime<Utc>,
}

enum Kind {
    Applicant(Box<ApplicantOrder>),
    CoSigner { request_id: Uuid, digest: String },
}

/// A signature not yet finished: what to store once it is made.
struct Live {
    kind: Kind,
    /// BankID's evidence, once it gave it and storing it failed for a reason worth trying again.
    evidence: Option<SignatureEvidence>,
}

enum Progress {
    /// The BankID order is in progress (no evidence yet), or its evidence waits to be stored again.
    Live(Box<Live>),
    /// Done: the answer every later poll gets. The prepared submission is dropped.
    Finished(Box<Result<SigningProgress, Refusal>>),
}

impl Progress {
    fn pending(kind: Kind) -> tokio::sync::Mutex<Self> {
        tokio::sync::Mutex::new(Progress::Live(Box::new(Live { kind, evidence: None })))
    }

    /// True while the BankID order may still be open (nothing came back from it yet).
    fn order_open(&self) -> bool {
        matches!(self, Progress::Live(live) if live.evidence.is_none())
    }
}

struct Entry {
    owner: String,
    started: Instant,
    bankid_id: String,
    progress: tokio::sync::Mutex<Progress>,
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
    fn take_of(&self, owner: &str) -> Vec<Arc<Entry>> {
        let mut entries = self.lock();
        let ids: Vec<String> = entries.iter().filter(|(_, e)| e.owner == owner).map(|(id, _)| id.clone()).collect();
        ids.into_iter().filter_map(|id| entries.remove(&id)).collect()
    }

    /// Remembers `entry` under a new id (`Err` with the entry when the map is full),
    /// forgetting any other signature of its owner's (returned, to cancel).
    fn insert(&self, entry: Entry) -> (Result<String, Entry>, Vec<Arc<Entry>>) {
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
    fn get(&self, id: &str, owner: &str) -> Option<Arc<Entry>> {
        self.lock().get(id).filter(|e| e.owner == owner).cloned()
    }

    fn remove(&self, id: &str) {
        self.lock().remove(id);
    }
}

/// Cancels the BankID orders of signatures that were replaced or forgotten (those still open).
async fn cancel_orders(bankid: &crate::eid::bankid::BankIdService, entries: Vec<Arc<Entry>>) {
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
async fn remember(
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

fn no_such_signing() -> AppError {
    AppError::NotFound("There is no such signature of yours; it may have expired.".into())
}

fn flow_of(same_device: bool) -> Flow {
    if same_device { Flow::SameDevice } else { Flow::QrCode }
}

fn bankid(state: &AppState) -> Result<&crate::eid::bankid::BankIdService, AppError> {
    Ok(crate::eid::bankid::of(state)?.as_ref())
}

/// SHA-256 of a signature start, to tell a retry (same answers, same draft) from another.
pub fn request_hash(body: &StartSigningRequest) -> Result<String, AppError> {
    let value = serde_json::json!({
        "signing": true,
        "form_version": body.form_version,
        "answers": body.answers,
        "draft": body.draft,
    });
    Ok(hex::encode(Sha256::digest(serde_json::to_vec(&value).map_err(AppError::internal)?)))
}

/// What `start_applicant` needs besides the body.
#[derive(Debug)]
pub struct ApplicantStart<'a> {
    /// The service.
    pub service: &'a ServiceRef,
    /// The logged-in applicant.
    pub applicant: &'a Applicant,
    /// The user's IP address as this server sees it.
    pub end_user_ip: IpAddr,
    /// The `Idempotency-Key` header.
    pub idempotency_key: Option<String>,
    /// The `X-Upload-Token` header.
    pub upload_token: Option<String>,
    /// The language of the applicant's mails.
    pub language: Language,
}

/// Starts the applicant's signature of `body`'s answers (see the module docs).
pub async fn start_applicant(
    state: &AppState,
    s: ApplicantStart<'_>,
    body: StartSigningRequest,
) -> Result<SigningStarted, StartFailure> {
    let settings = &s.service.signing;
    if !settings.applicant_signs() {
        return Err(AppError::new(
            ErrorCode::SigningNotRequired,
            "Applications to this service are not signed: submit them (POST /api/v1/catalogue/{slug}/cases).",
        )
        .into());
    }
    let bankid = bankid(state)?;
    if let Some(draft) = body.draft
        && crate::db::drafts::find(&state.db, draft, &s.applicant.personnummer.as_digits()).await?.is_none()
    {
        return Err(AppError::NotFound("You have no draft with that id.".into()).into());
    }
    // Answers already signed and sent under this key: say so rather than sign them again.
    let request_hash = request_hash(&body)?;
    if let Some(done) = crate::submission::replay(
        state,
        Some(s.applicant),
        s.idempotency_key.as_deref(),
        &request_hash,
        Some(s.service.id),
    )
    .await?
    {
        return Err(already_submitted(done).into());
    }
    // A protected applicant cannot use register-based co-signing: said first, whatever the answers.
    let person = co_signers::applicant_person(state, settings, s.applicant).await?;
    let submission = Submission {
        service: s.service,
        applicant: Some(s.applicant),
        upload_token: s.upload_token.clone(),
        form_version: body.form_version,
        answers: &body.answers,
        idempotency_key: s.idempotency_key.clone(),
        request_hash: request_hash.clone(),
        draft: body.draft,
        language: s.language,
    };
    let prepared = match crate::submission::prepare(state, &submission).await? {
        Preparation::Ready(p) => *p,
        Preparation::Done(done) => return Err(already_submitted(*done).into()),
    };
    let digest = digest::answers_digest(&s.service.slug, prepared.form_version, &prepared.answers);
    let resolved =
        co_signers::resolve(state, settings, &prepared.definition, &prepared.answers, s.applicant, person.as_ref())
            .await?;
    let shown: Vec<String> = resolved.co_signers.iter().map(CoSigner::shown).collect();
    let register_name = person.as_ref().filter(|p| !p.is_protected()).map(|p| co_signers::display_name(p.name()));
    let applicant_name = s.applicant.name.clone().or(register_name);
    let text = summary::summary(summary::SummaryInput {
        service_name: &s.service.name,
        applicant_name: applicant_name.as_deref(),
        definition: &prepared.definition,
        answers: &prepared.answers,
        child_names: &resolved.child_names,
        co_signers: &shown,
        digest: &digest,
    });
    // One signature per person: a new start replaces the previous one (and ends its BankID
    // order, which BankID would otherwise answer `alreadyInProgress` for).
    let owner = s.applicant.personnummer.as_digits();
    cancel_orders(bankid, state.signings.take_of(&owner)).await;
    let started = bankid
        .start_sign_order(s.end_user_ip, flow_of(body.same_device), &s.applicant.personnummer, &text, digest.as_bytes())
        .await
        .map_err(bankid_start_failure)?;
    let order = ApplicantOrder {
        service: s.service.clone(),
        applicant: s.applicant.clone(),
        upload_token: s.upload_token,
        prepared,
        idempotency_key: s.idempotency_key,
        request_hash,
        draft: body.draft,
        language: s.language,
        summary: text.clone(),
        digest: digest.clone(),
        co_signers: resolved.co_signers,
        deadline_days: settings.deadline_days,
        requested_at: Utc::now(),
    };
    let entry = Entry {
        owner,
        started: Instant::now(),
        bankid_id: started.sign_id.clone(),
        progress: Progress::pending(Kind::Applicant(Box::new(order))),
    };
    let signing_id = remember(state, bankid, entry).await?;
    tracing::info!(service.slug = %s.service.slug, co_signers = shown.len(), "applicant's signature started");
    Ok(SigningStarted {
        signing_id,
        auto_start_token: started.auto_start_token,
        summary: text,
        digest,
        co_signers: shown,
    })
}

/// Starts a co-signer's signature of request `id` (theirs only: 404 otherwise).
pub async fn start_co_signer(
    state: &AppState,
    me: &Applicant,
    id: Uuid,
    same_device: bool,
    end_user_ip: IpAddr,
) -> Result<SigningStarted, StartFailure> {
    let bankid = bankid(state)?;
    let rec = crate::db::signatures::request_for(&state.db, id, &me.personnummer.as_digits())
        .await?
        .ok_or_else(no_such_request)?;
    if !rec.is_open(Utc::now()) {
        return Err(request_not_pending().into());
    }
    if digest::answers_digest(&rec.service_slug, rec.form_version, &rec.answers) != rec.digest {
        return Err(answers_changed().into());
    }
    let owner = me.personnummer.as_digits();
    cancel_orders(bankid, state.signings.take_of(&owner)).await;
    let started = bankid
        .start_sign_order(end_user_ip, flow_of(same_device), &me.personnummer, &rec.summary, rec.digest.as_bytes())
        .await
        .map_err(bankid_start_failure)?;
    let entry = Entry {
        owner,
        started: Instant::now(),
        bankid_id: started.sign_id.clone(),
        progress: Progress::pending(Kind::CoSigner { request_id: id, digest: rec.digest.clone() }),
    };
    let signing_id = remember(state, bankid, entry).await?;
    tracing::info!("co-signer's signature started");
    Ok(SigningStarted {
        signing_id,
        auto_start_token: started.auto_start_token,
        summary: rec.summary,
        digest: rec.digest,
        co_signers: Vec::new(),
    })
}

fn already_submitted(done: Submitted) -> AppError {
    let (Submitted::Created(case) | Submitted::Existing(case)) = done;
    AppError::new(
        ErrorCode::AlreadySubmitted,
        format!("These answers were already signed and sent under this Idempotency-Key: case {}.", case.reference),
    )
}

fn no_such_request() -> AppError {
    AppError::NotFound("You have no signature request with that id.".into())
}

fn request_not_pending() -> AppError {
    AppError::new(
        ErrorCode::RequestNotPending,
        "This signature request can no longer be signed or declined: it was signed, declined or has expired.",
    )
}

fn answers_changed() -> AppError {
    AppError::new(
        ErrorCode::AnswersChanged,
        "The application's answers have changed since the applicant signed them: this request cannot be signed.",
    )
}

fn progress(status: BankIdLoginStatus) -> SigningProgress {
    SigningProgress { status, hint_code: None, message: None, qr_data: None, qr_svg: None, case: None, request: None }
}

fn failed(rfa: Rfa, hint_code: Option<String>) -> SigningProgress {
    SigningProgress { hint_code, message: Some(rfa.into()), ..progress(BankIdLoginStatus::Failed) }
}

/// The state of a signature; the poll that sees BankID complete stores it
/// (the case, or the co-signature). A later poll answers the same.
pub async fn poll(state: &AppState, me: &Applicant, signing_id: &str) -> Result<SigningProgress, AppError> {
    let entry = state.signings.get(signing_id, &me.personnummer.as_digits()).ok_or_else(no_such_signing)?;
    let mut current = entry.progress.lock().await;
    let live = match &*current {
        Progress::Finished(result) => return (**result).clone().map_err(|r| r.error()),
        Progress::Live(live) => live,
    };
    let evidence = match &live.evidence {
        Some(evidence) => evidence.clone(),
        None => {
            let poll = match bankid(state)?.poll_sign(&entry.bankid_id).await {
                Ok(p) => p,
                Err(LoginError::NotFound) => {
                    drop(current);
                    state.signings.remove(signing_id);
                    return Err(no_such_signing());
                }
                Err(e) => return Err(AppError::internal(e)),
            };
            match (poll.status, poll.evidence) {
                (CollectStatus::Complete, Some(evidence)) => evidence,
                (CollectStatus::Failed, _) | (CollectStatus::Complete, None) => {
                    let result = failed(poll.message.unwrap_or(Rfa::Rfa22), poll.hint_code);
                    *current = Progress::Finished(Box::new(Ok(result.clone())));
                    return Ok(result);
                }
                (CollectStatus::Pending, _) => {
                    let qr_svg = poll.qr_data.as_deref().and_then(crate::eid::bankid::qr::svg);
                    return Ok(SigningProgress {
                        hint_code: poll.hint_code,
                        message: poll.message.map(Into::into),
                        qr_data: poll.qr_data,
                        qr_svg,
                        ..progress(BankIdLoginStatus::Pending)
                    });
                }
            }
        }
    };
    let digest = match &live.kind {
        Kind::Applicant(order) => &order.digest,
        Kind::CoSigner { digest, .. } => digest,
    };
    if !digest::signature_carries_digest(&evidence.signature, digest) {
        tracing::error!("a BankID signature does not carry the digest it was started with; refused");
        let result = failed(Rfa::Rfa22, None);
        *current = Progress::Finished(Box::new(Ok(result.clone())));
        return Ok(result);
    }
    let stored = match &live.kind {
        Kind::Applicant(order) => store_applicant(state, order, &evidence)
            .await
            .map(|case| SigningProgress { case: Some(case), ..progress(BankIdLoginStatus::Complete) }),
        Kind::CoSigner { request_id, .. } => store_co_signature(state, me, *request_id, &evidence)
            .await
            .map(|request| SigningProgress { request: Some(request), ..progress(BankIdLoginStatus::Complete) }),
    };
    match stored {
        Ok(done) => {
            // Finished: the prepared submission goes; only the answer to re-polls stays.
            *current = Progress::Finished(Box::new(Ok(done.clone())));
            Ok(done)
        }
        Err(e) => {
            match Refusal::of(&e) {
                Some(refusal) => *current = Progress::Finished(Box::new(Err(refusal))),
                // Worth trying again: the next poll does, with the evidence kept.
                None => {
                    if let Progress::Live(live) = &mut *current {
                        live.evidence = Some(evidence);
                    }
                }
            }
            Err(e)
        }
    }
}

/// Cancels a signature (and its BankID order); a finished one is just forgotten.
pub async fn cancel(state: &AppState, me: &Applicant, signing_id: &str) -> Result<(), AppError> {
    let entry = state.signings.get(signing_id, &me.personnummer.as_digits()).ok_or_else(no_such_signing)?;
    let current = entry.progress.lock().await;
    if current.order_open()
        && let Err(e) = bankid(state)?.cancel_sign_order(&entry.bankid_id).await
        && !matches!(e, LoginError::NotFound)
    {
        tracing::warn!(error = %e, "cancelling a BankID signature failed");
    }
    drop(current);
    state.signings.remove(signing_id);
    Ok(())
}

fn signed_by(e: &SignatureEvidence) -> SignedBy {
    SignedBy {
        provider: PROVIDER.into(),
        name: e.name.clone(),
        signature: e.signature.clone(),
        ocsp_response: e.ocsp_response.clone(),
        signed_at: e.signed_at,
    }
}

async fn store_applicant(
    state: &AppState,
    o: &ApplicantOrder,
    evidence: &SignatureEvidence,
) -> Result<ApplicantCase, AppError> {
    let now = Utc::now();
    let awaiting = !o.co_signers.is_empty();
    let mut signatures = vec![NewSignature {
        role: SignatureRole::Applicant,
        position: 0,
        personnummer: evidence.personnummer.as_digits(),
        name: evidence.name.clone().or(o.applicant.name.clone()),
        email: None,
        summary: o.summary.clone(),
        digest: o.digest.clone(),
        requested_at: o.requested_at,
        signed: Some(signed_by(evidence)),
    }];
    let shown: Vec<String> = o.co_signers.iter().map(CoSigner::shown).collect();
    for (i, c) in o.co_signers.iter().enumerate() {
        signatures.push(NewSignature {
            role: SignatureRole::CoSigner,
            position: i as i32 + 1,
            personnummer: c.personnummer.as_digits(),
            name: c.name.clone(),
            email: c.email.clone(),
            // What this co-signer reads and signs: the others are named, never the reader.
            summary: summary::for_co_signer(&o.summary, &shown, i),
            digest: o.digest.clone(),
            requested_at: now,
            signed: None,
        });
    }
    let signing = NewSigning {
        outcome: if awaiting { SigningOutcome::Awaiting } else { SigningOutcome::Complete },
        deadline: awaiting.then(|| now + chrono::Duration::days(i64::from(o.deadline_days))),
        signatures,
    };
    let submission = |draft: Option<Uuid>| Submission {
        service: &o.service,
        applicant: Some(&o.applicant),
        upload_token: o.upload_token.clone(),
        form_version: o.prepared.form_version,
        answers: &o.prepared.answers,
        idempotency_key: o.idempotency_key.clone(),
        request_hash: o.request_hash.clone(),
        draft,
        language: o.language,
    };
    let stored = crate::submission::store(state, submission(o.draft), o.prepared.clone(), Some(signing.clone())).await;
    let submitted = match stored {
        // The draft went meanwhile (deleted in another tab): the signed answers are stored all the same.
        Err(AppError::NotFound(_)) if o.draft.is_some() => {
            crate::submission::store(state, submission(None), o.prepared.clone(), Some(signing)).await?
        }
        other => other?,
    };
    Ok(match submitted {
        Submitted::Created(c) | Submitted::Existing(c) => c,
    })
}

async fn store_co_signature(
    state: &AppState,
    me: &Applicant,
    request_id: Uuid,
    evidence: &SignatureEvidence,
) -> Result<SignatureRequestView, AppError> {
    let pnr = me.personnummer.as_digits();
    let rec = crate::db::signatures::request_for(&state.db, request_id, &pnr).await?.ok_or_else(no_such_request)?;
    let service = crate::db::services::get_ref_by_id(&state.db, rec.service_id).await?.ok_or_else(no_such_request)?;
    let status = shared::status::initial_status(&service.statuses)
        .cloned()
        .ok_or_else(|| AppError::internal(format!("service {} has no status of kind submitted", service.slug)))?;
    let mails = crate::submission::submitted_mails(
        state,
        &service,
        rec.contact_email.clone(),
        Language::parse(rec.language.as_deref()),
    );
    let now = Utc::now();
    let outcome = crate::db::signatures::co_sign(
        &state.db,
        request_id,
        &pnr,
        &signed_by(evidence),
        now,
        digest::answers_digest,
        crate::db::signatures::CaseSubmission { status: &status, mails },
    )
    .await?;
    let status_now = match outcome {
        RequestOutcome::Done { last: true } => shared::api::CaseStatus {
            key: status.key.clone(),
            name: status.name.clone(),
            name_en: status.name_en.clone(),
            kind: status.kind,
        },
        _ => rec.case_status.clone(),
    };
    match outcome {
        RequestOutcome::Done { last } => {
            if last {
                tracing::info!(service.slug = %service.slug, "the last co-signer signed; case submitted");
                state.outbox_wake.notify_one();
            } else {
                tracing::info!(service.slug = %service.slug, "a co-signer signed");
            }
        }
        RequestOutcome::NotFound => return Err(no_such_request()),
        RequestOutcome::NotPending => {
            // Stored already by an earlier try of this very signature (its answer was lost): the same success.
            if already_signed_with(state, request_id, &pnr, evidence).await? {
                return crate::db::signatures::request_for(&state.db, request_id, &pnr)
                    .await?
                    .map(|r| r.view())
                    .ok_or_else(no_such_request);
            }
            return Err(request_not_pending());
        }
        RequestOutcome::AnswersChanged => {
            tracing::warn!(service.slug = %service.slug, "a co-signature was refused: the case's answers changed");
            return Err(answers_changed());
        }
    }
    // Committed: the view is built from what is in hand, so nothing after the commit can fail
    // and lead a retry into the (now signed) request.
    Ok(SignatureRequestView {
        state: SignatureState::Signed,
        decided_at: Some(now),
        case_status: Some(status_now),
        ..rec.view()
    })
}

/// True when request `id` of `personnummer`'s is signed already with exactly `evidence`'s signature.
async fn already_signed_with(
    state: &AppState,
    id: Uuid,
    personnummer: &str,
    evidence: &SignatureEvidence,
) -> Result<bool, AppError> {
    Ok(crate::db::signatures::signed_with(&state.db, id, personnummer, &evidence.signature).await?)
}

/// The requests asking the logged-in person to co-sign, pending first.
pub async fn my_requests(state: &AppState, me: &Applicant) -> Result<Vec<SignatureRequestView>, AppError> {
    Ok(crate::db::signatures::requests_for(&state.db, &me.personnummer.as_digits()).await?)
}

/// One request asking the logged-in person to co-sign (404 for anyone else).
pub async fn my_request(state: &AppState, me: &Applicant, id: Uuid) -> Result<SignatureRequestView, AppError> {
    crate::db::signatures::request_for(&state.db, id, &me.personnummer.as_digits())
        .await?
        .map(|r| r.view())
        .ok_or_else(no_such_request)
}

/// The co-signer declines request `id` with an optional message (at most
/// [`MAX_DECLINE_MESSAGE`] characters, trimmed): the attempt ends and the
/// applicant is told that the application was not submitted.
pub async fn decline(
    state: &AppState,
    me: &Applicant,
    id: Uuid,
    message: Option<String>,
) -> Result<SignatureRequestView, AppError> {
    let message = message.map(|m| m.trim().to_string()).filter(|m| !m.is_empty());
    if message.as_ref().is_some_and(|m| m.chars().count() > MAX_DECLINE_MESSAGE) {
        return Err(AppError::new(
            ErrorCode::MessageTooLong,
            format!("The message may be at most {MAX_DECLINE_MESSAGE} characters."),
        ));
    }
    let pnr = me.personnummer.as_digits();
    let rec = crate::db::signatures::request_for(&state.db, id, &pnr).await?.ok_or_else(no_such_request)?;
    let mails = ended_mails(state, rec.contact_email.clone(), rec.language.as_deref());
    match crate::db::signatures::decline(&state.db, id, &pnr, message, Utc::now(), &mails).await? {
        RequestOutcome::Done { .. } => {
            tracing::info!(service.slug = %rec.service_slug, "a co-signer declined; the signing attempt ended");
            state.outbox_wake.notify_one();
        }
        RequestOutcome::NotFound => return Err(no_such_request()),
        RequestOutcome::NotPending | RequestOutcome::AnswersChanged => return Err(request_not_pending()),
    }
    my_request(state, me, id).await
}

/// The applicant's notice that the application was not submitted (none when mail is off).
fn ended_mails(
    state: &AppState,
    contact_email: Option<String>,
    language: Option<&str>,
) -> Vec<crate::db::outbox::NewItem> {
    let to = crate::outbox::Recipients { applicant: contact_email, ..Default::default() };
    crate::outbox::queue(&state.settings.mail, &crate::outbox::SIGNING_ENDED, &to, Language::parse(language))
}

/// Ends every attempt still awaiting signatures whose deadline is before
/// `as_of` (outcome `expired`, pending requests expired, status
/// `ej_inskickat`, the applicant mailed), batch by batch; the number ended.
pub async fn expire_due(state: &AppState, as_of: DateTime<Utc>) -> Result<u64, crate::db::DbErr> {
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
