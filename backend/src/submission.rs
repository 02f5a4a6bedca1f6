//! Case submission: the one path from answers to a case, taken by a direct
//! submission (`POST /catalogue/{slug}/cases`) and by a draft's
//! (`POST /me/drafts/{id}/submit`). It re-validates with `shared::validate`,
//! resolves file answers to the uploads the submitter owns (their stored
//! name, size and type, never the client's), and stores the case, attaches
//! the uploads and deletes the draft in one transaction.

use std::collections::BTreeMap;

use serde_json::Value;
use sha2::{Digest, Sha256};
use shared::api::{ApplicantCase, IdentityRequirement};
use shared::validate::FileRef;
use shared::{Answers, FieldError, FieldErrorCode, FieldKind, FormDefinition};
use uuid::Uuid;

use crate::auth::extract::Applicant;
use crate::db::cases::{NewCase, SubmitExtras, SubmitOutcome};
use crate::db::services::ServiceRef;
use crate::db::uploads::UploadOwner;
use crate::error::{AppError, ErrorCode};
use crate::state::AppState;

/// SHA-256 (hex) of an owner token: only the hash is stored.
pub fn token_hash(token: &str) -> String {
    hex::encode(Sha256::digest(token.as_bytes()))
}

/// Who owns uploads a request may use: the logged-in applicant, and the holder of the sent token.
pub fn upload_owner(applicant: Option<&Applicant>, token: Option<&str>) -> UploadOwner {
    UploadOwner { personnummer: applicant.map(|a| a.personnummer.as_digits()), token_hash: token.map(token_hash) }
}

/// A submission to store.
pub struct Submission<'a> {
    /// The service.
    pub service: &'a ServiceRef,
    /// The logged-in applicant, or none (anonymous).
    pub applicant: Option<&'a Applicant>,
    /// The anonymous uploader's owner token, if sent.
    pub upload_token: Option<String>,
    /// The form version the answers were given for.
    pub form_version: u32,
    /// The answers.
    pub answers: &'a Answers,
    /// The client's idempotency key.
    pub idempotency_key: Option<String>,
    /// SHA-256 (hex) identifying the request, to tell a retry from a different request.
    pub request_hash: String,
    /// The draft the answers come from: deleted in the transaction that stores the case.
    pub draft: Option<Uuid>,
    /// The language of the applicant's confirmation e-mail.
    pub language: crate::outbox::Language,
}

/// A stored submission.
#[derive(Debug, Clone)]
pub enum Submitted {
    /// A new case (201).
    Created(ApplicantCase),
    /// A retry: the case the first request made (200).
    Existing(ApplicantCase),
}

/// The idempotency scope of a submitter: the personnummer, or `anonymous`.
pub fn idempotency_scope(applicant: Option<&Applicant>) -> String {
    applicant.map(|a| a.personnummer.as_digits()).unwrap_or_else(|| "anonymous".into())
}

/// The case an earlier request with the same idempotency key made, if any;
/// 409 `idempotency_key_reused` when that request was a different one.
pub async fn replay(
    state: &AppState,
    applicant: Option<&Applicant>,
    key: Option<&str>,
    request_hash: &str,
    service_id: Option<Uuid>,
) -> Result<Option<Submitted>, AppError> {
    let Some(key) = key else {
        return Ok(None);
    };
    let scope = idempotency_scope(applicant);
    match crate::db::cases::replay_key(&state.db, &scope, key, request_hash, service_id).await? {
        None => Ok(None),
        Some(outcome) => outcome_of(outcome, &BTreeMap::new()).map(Some),
    }
}

fn key_reused() -> AppError {
    AppError::new(
        ErrorCode::IdempotencyKeyReused,
        "This Idempotency-Key was already used for a different submission. Use a new key for a new submission.",
    )
}

fn file_unavailable(field: &str) -> FieldError {
    FieldError::new(field, FieldErrorCode::FileUnavailable)
}

fn outcome_of(outcome: SubmitOutcome, fields_of_uploads: &BTreeMap<Uuid, String>) -> Result<Submitted, AppError> {
    match outcome {
        SubmitOutcome::Created(case) => Ok(Submitted::Created(case)),
        SubmitOutcome::Existing(case) => Ok(Submitted::Existing(case)),
        SubmitOutcome::KeyReused => Err(key_reused()),
        SubmitOutcome::DraftGone => Err(AppError::NotFound("You have no draft with that id.".into())),
        SubmitOutcome::UploadUnavailable(id) => {
            let field = fields_of_uploads.get(&id).map(String::as_str).unwrap_or("");
            Err(AppError::Validation(vec![file_unavailable(field)]))
        }
    }
}

/// A submission checked and ready to store: the answers validated (hidden
/// fields dropped), file answers resolved to the submitter's uploads, a chosen
/// child checked against the population register. Owned, so a signature can
/// keep it while the applicant signs.
#[derive(Clone)]
pub struct Prepared {
    /// The form version's row id.
    pub form_version_id: Uuid,
    /// The form version number.
    pub form_version: u32,
    /// The form version's definition.
    pub definition: FormDefinition,
    /// The validated answers, as the case will store them.
    pub answers: Answers,
    /// Upload id → the field whose answer refers to it (shown fields only).
    uploads: BTreeMap<Uuid, String>,
    /// Who must own those uploads.
    owner: UploadOwner,
    /// The applicant's contact address, from the answers.
    pub contact_email: Option<String>,
}

impl std::fmt::Debug for Prepared {
    // Debug ends up in logs: never the answers.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Prepared").field("form_version", &self.form_version).finish_non_exhaustive()
    }
}

/// What preparing a submission found.
#[derive(Debug)]
pub enum Preparation {
    /// Ready to store.
    Ready(Box<Prepared>),
    /// A retry of a submission that was stored: its case.
    Done(Box<Submitted>),
}

/// A service's signing settings; 409 `signature_required` when its applications must be signed.
pub fn refuse_if_signing_required(service: &ServiceRef) -> Result<(), AppError> {
    if service.signing.applicant_signs() {
        return Err(AppError::new(
            ErrorCode::SignatureRequired,
            "Applications to this service must be signed with e-ID: start a signature (POST /api/v1/catalogue/{slug}/signings) instead of submitting.",
        ));
    }
    Ok(())
}

/// Validates and stores a submission; the one way an unsigned case is made
/// (409 `signature_required` for a service whose applications must be signed).
pub async fn submit(state: &AppState, s: Submission<'_>) -> Result<Submitted, AppError> {
    refuse_if_signing_required(s.service)?;
    match prepare(state, &s).await? {
        Preparation::Done(done) => Ok(*done),
        Preparation::Ready(p) => store(state, s, *p, None).await,
    }
}

/// Checks a submission exactly as [`submit`] does, without storing anything:
/// the service, the form version, e-ID when required, files, validation and
/// the chosen children. A retry whose first attempt already made its case
/// (found by the idempotency key) is [`Preparation::Done`].
pub async fn prepare(state: &AppState, s: &Submission<'_>) -> Result<Preparation, AppError> {
    let service = s.service;
    let not_found = || AppError::NotFound("There is no published service with that name.".into());
    let current = service.published_version.ok_or_else(not_found)?;
    if s.applicant.is_none() && service.identity == IdentityRequirement::EId {
        return Err(AppError::new(ErrorCode::EidRequired, "This service requires you to log in with e-ID."));
    }
    if s.form_version != current {
        return Err(AppError::new(
            ErrorCode::FormVersionOutdated,
            format!(
                "The form has changed: answer version {current} of it (you sent answers for version {}).",
                s.form_version
            ),
        ));
    }
    let (form_version_id, definition) =
        crate::db::services::published_form(&state.db, service.id, current).await?.ok_or_else(not_found)?;
    let owner = upload_owner(s.applicant, s.upload_token.as_deref());
    let files = resolve_files(state, &definition, s.answers, &owner).await?;
    // A retry must find its case before the uploads are checked (the first
    // attempt attached them) and before the draft is looked for (it deleted it).
    let early_replay = s.draft.is_some() || !files.uploads.is_empty() || !files.unavailable.is_empty();
    if early_replay
        && let Some(done) =
            replay(state, s.applicant, s.idempotency_key.as_deref(), &s.request_hash, Some(service.id)).await?
    {
        return Ok(Preparation::Done(Box::new(done)));
    }
    let mut sent = files.answers;
    lock_prefilled(state, &definition, &mut sent, s.applicant).await?;
    let answers = shared::validate(&definition, &sent).map_err(AppError::Validation)?;
    let unavailable: Vec<FieldError> =
        files.unavailable.iter().filter(|f| answers.contains_key(*f)).map(|f| file_unavailable(f)).collect();
    if !unavailable.is_empty() {
        return Err(AppError::Validation(unavailable));
    }
    check_children(state, &definition, &answers, s.applicant).await?;
    // Only files of fields that are shown (so kept) go to the case.
    let uploads: BTreeMap<Uuid, String> =
        files.uploads.into_iter().filter(|(_, field)| answers.contains_key(field)).collect();
    let contact_email = definition.contact_email(&answers);
    Ok(Preparation::Ready(Box::new(Prepared {
        form_version_id,
        form_version: current,
        definition,
        answers,
        uploads,
        owner,
        contact_email,
    })))
}

/// The mails of a submitted case (`CASE_SUBMITTED`: the applicant's confirmation and
/// the handlers' notice), or none when mail is off. The one plan for them, whether the
/// case is submitted directly or when its last co-signer signs.
pub fn submitted_mails(
    state: &AppState,
    service: &ServiceRef,
    contact_email: Option<String>,
    language: crate::outbox::Language,
) -> Vec<crate::db::outbox::NewItem> {
    let to = crate::outbox::Recipients {
        applicant: contact_email,
        handler_mailbox: Some(service.handler_mailbox.clone()),
        ..Default::default()
    };
    crate::outbox::queue(&state.settings.mail, &crate::outbox::CASE_SUBMITTED, &to, language)
}

/// Stores a prepared submission as a case in one transaction: the case, its
/// first history entry, its uploads, the draft's deletion, its mails and,
/// for a signed application, its signatures. Unsigned or signed by everyone
/// (`signing` complete), the case gets the service's first *submitted* status
/// and the `CASE_SUBMITTED` mails; still awaiting co-signers, it gets the
/// *awaiting signatures* status and each co-signer with an address is told.
pub async fn store(
    state: &AppState,
    s: Submission<'_>,
    p: Prepared,
    signing: Option<crate::db::signatures::NewSigning>,
) -> Result<Submitted, AppError> {
    let service = s.service;
    let awaiting = signing.as_ref().is_some_and(|sg| sg.outcome == shared::signing::SigningOutcome::Awaiting);
    let status = if awaiting {
        shared::status::awaiting_signatures_status(&service.statuses)
    } else {
        shared::status::initial_status(&service.statuses)
            .cloned()
            .ok_or_else(|| AppError::internal(format!("service {} has no status of kind submitted", service.slug)))?
    };
    let personnummer = s.applicant.map(|a| a.personnummer.as_digits());
    let mails = match &signing {
        Some(sg) if awaiting => {
            let to = crate::outbox::Recipients {
                co_signers: sg.signatures.iter().filter_map(|x| x.email.clone()).collect(),
                ..Default::default()
            };
            crate::outbox::queue(&state.settings.mail, &crate::outbox::SIGNATURE_REQUESTED, &to, s.language)
        }
        _ => submitted_mails(state, service, p.contact_email.clone(), s.language),
    };
    let extras = SubmitExtras {
        draft: s.draft.zip(personnummer.clone()),
        uploads: p.uploads.keys().copied().collect(),
        upload_owner: p.owner.clone(),
        signing,
    };
    let outcome = crate::db::cases::submit_with(
        &state.db,
        NewCase {
            service,
            form_version_id: p.form_version_id,
            form_version: p.form_version,
            status: &status,
            idempotency_scope: idempotency_scope(s.applicant),
            applicant_personnummer: personnummer,
            applicant_name: s.applicant.and_then(|a| a.name.clone()),
            answers: p.answers,
            idempotency_key: s.idempotency_key,
            request_hash: s.request_hash,
            reference_prefix: &state.settings.cases.reference_prefix,
            mails,
            contact_email: p.contact_email,
            language: s.language.as_str(),
        },
        extras,
    )
    .await?;
    let submitted = outcome_of(outcome, &p.uploads)?;
    if let Submitted::Created(case) = &submitted {
        if awaiting {
            tracing::info!(service.slug = %service.slug, case.reference = %case.reference, "case signed by the applicant; awaiting co-signers");
        } else {
            tracing::info!(service.slug = %service.slug, case.reference = %case.reference, "case submitted");
        }
        // The case's mails are committed with it: the worker may send them now.
        state.outbox_wake.notify_one();
    }
    Ok(submitted)
}

/// 422 `child_not_in_register` unless every chosen child (the answer to a shown
/// field of kind `child`) is, in the population register, a child of the
/// logged-in applicant; 401 without a login; 503 when the register does not answer.
pub async fn check_children(
    state: &AppState,
    definition: &FormDefinition,
    answers: &Answers,
    applicant: Option<&Applicant>,
) -> Result<(), AppError> {
    let chosen: Vec<&str> = definition
        .fields()
        .filter(|(_, f)| matches!(f.kind, FieldKind::Child))
        .filter_map(|(_, f)| answers.get(&f.key).and_then(Value::as_str))
        .collect();
    if chosen.is_empty() {
        return Ok(());
    }
    let Some(applicant) = applicant else {
        return Err(AppError::new(ErrorCode::EidRequired, "Log in with e-ID to choose a child."));
    };
    let person = state.population_register.lookup(&applicant.personnummer).await.map_err(|e| {
        tracing::warn!(error = %e, "population register lookup failed");
        AppError::Unavailable
    })?;
    let children: Vec<String> =
        person.as_ref().map(|p| p.children().map(|c| c.as_digits()).collect()).unwrap_or_default();
    if chosen.iter().all(|c| children.iter().any(|k| k == c)) { Ok(()) } else { Err(child_not_in_register()) }
}

/// Puts the population register's (and the e-ID's) values in place of the answers to the
/// fields the definition locks to them, whatever was sent (`shared::prefill`). Only for a
/// logged-in applicant; a protected identity's register data are never used. 503 when the
/// register does not answer.
async fn lock_prefilled(
    state: &AppState,
    definition: &FormDefinition,
    answers: &mut Answers,
    applicant: Option<&Applicant>,
) -> Result<(), AppError> {
    let Some(applicant) = applicant.filter(|_| shared::prefill::has_locked(definition)) else {
        return Ok(());
    };
    let person = state.population_register.lookup(&applicant.personnummer).await.map_err(|e| {
        tracing::warn!(error = %e, "population register lookup failed");
        AppError::Unavailable
    })?;
    let data = crate::navet::personal_data(&applicant.personnummer, person.as_ref());
    shared::prefill::enforce_locked(definition, answers, &data);
    Ok(())
}

/// 422 `child_not_in_register`.
pub fn child_not_in_register() -> AppError {
    AppError::new(
        ErrorCode::ChildNotInRegister,
        "The population register does not list the chosen child as yours. Choose one of your children from the list.",
    )
}

/// File answers resolved against the stored uploads.
struct ResolvedFiles {
    /// The answers with every resolvable file reference replaced by the stored values.
    answers: Answers,
    /// Upload id → the field whose answer refers to it.
    uploads: BTreeMap<Uuid, String>,
    /// Fields (in form order) referring to a file that is gone, someone else's, already taken, or referred to twice.
    unavailable: Vec<String>,
}

/// Replaces each file reference in a file field's answer with the stored
/// upload's id, name, size and type, when the upload exists, belongs to
/// `owner` and no case has taken it. Answers that are not file references
/// are left for validation to judge.
async fn resolve_files(
    state: &AppState,
    definition: &FormDefinition,
    answers: &Answers,
    owner: &UploadOwner,
) -> Result<ResolvedFiles, AppError> {
    let mut out = ResolvedFiles { answers: answers.clone(), uploads: BTreeMap::new(), unavailable: Vec::new() };
    for (_, field) in definition.fields() {
        if !matches!(field.kind, FieldKind::File { .. }) {
            continue;
        }
        let refs: Vec<FileRef> = match answers.get(&field.key) {
            Some(v @ Value::Array(_)) => match serde_json::from_value(v.clone()) {
                Ok(refs) => refs,
                Err(_) => continue,
            },
            Some(v @ Value::Object(_)) => match serde_json::from_value(v.clone()) {
                Ok(one) => vec![one],
                Err(_) => continue,
            },
            _ => continue,
        };
        let mut stored = Vec::with_capacity(refs.len());
        let mut ok = true;
        for r in &refs {
            let upload = match Uuid::parse_str(&r.id) {
                Ok(id) if !out.uploads.contains_key(&id) => crate::db::uploads::find(&state.db, id).await?,
                _ => None,
            };
            match upload {
                Some(u) if owner.owns(&u) && u.case_id.is_none() => {
                    out.uploads.insert(u.id, field.key.clone());
                    stored.push(FileRef {
                        id: u.id.to_string(),
                        name: u.name,
                        size: u.size,
                        content_type: u.content_type,
                    });
                }
                _ => ok = false,
            }
        }
        if ok {
            out.answers.insert(field.key.clone(), serde_json::to_value(stored).map_err(AppError::internal)?);
        } else {
            out.unavailable.push(field.key.clone());
        }
    }
    Ok(out)
}
