//! The applicant's signature: [`start_applicant`] checks the answers as a
//! submission, computes their digest, resolves the co-signers, writes the
//! summary and starts a BankID `sign` order; once BankID completes,
//! `store_applicant` stores the case, the applicant's signature and the
//! co-signers' pending requests in one transaction.

use std::net::IpAddr;
use std::time::Instant;

use chrono::{DateTime, Utc};
use sha2::{Digest as _, Sha256};
use shared::api::ApplicantCase;
use shared::signing::{SignatureRole, SigningOutcome, SigningStarted, StartSigningRequest};
use uuid::Uuid;

use super::co_signers::{self, CoSigner};
use super::orders::{Entry, Kind, Progress, cancel_orders, remember};
use super::{StartFailure, bankid, bankid_start_failure, digest, flow_of, signed_by, summary};
use crate::auth::extract::Applicant;
use crate::db::services::ServiceRef;
use crate::db::signatures::{NewSignature, NewSigning};
use crate::eid::bankid::SignatureEvidence;
use crate::error::{AppError, ErrorCode};
use crate::outbox::Language;
use crate::state::AppState;
use crate::submission::{Preparation, Prepared, Submission, Submitted};

/// An applicant's signature in progress: what to store once it is made.
pub(super) struct ApplicantOrder {
    service: ServiceRef,
    applicant: Applicant,
    upload_token: Option<String>,
    prepared: Prepared,
    idempotency_key: Option<String>,
    request_hash: String,
    draft: Option<Uuid>,
    language: Language,
    summary: String,
    pub(super) digest: String,
    co_signers: Vec<CoSigner>,
    deadline_days: u32,
    requested_at: DateTime<Utc>,
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

fn already_submitted(done: Submitted) -> AppError {
    let (Submitted::Created(case) | Submitted::Existing(case)) = done;
    AppError::new(
        ErrorCode::AlreadySubmitted,
        format!("These answers were already signed and sent under this Idempotency-Key: case {}.", case.reference),
    )
}

pub(super) async fn store_applicant(
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
