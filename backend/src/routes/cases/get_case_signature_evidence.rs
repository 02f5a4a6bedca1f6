use actix_web::http::header::{self, HeaderValue};
use actix_web::{HttpResponse, get, web};
use chrono::{DateTime, Utc};
use serde::Serialize;
use shared::api::ApiError;
use shared::signing::SignatureRole;
use utoipa::ToSchema;
use uuid::Uuid;

use crate::error::AppError;
use crate::handling::{HandledCase, act};
use crate::signing::digest::answers_digest;
use crate::state::AppState;

/// The evidence of one signature, as downloaded: what was signed, by whom,
/// when and with which e-ID, and BankID's own proof.
#[derive(Debug, Serialize, ToSchema)]
pub struct SignatureEvidence {
    /// The case reference.
    pub reference: String,
    /// The service's URL name.
    pub service: String,
    /// The form version the case was submitted under.
    pub form_version: u32,
    /// Applicant or co-signer.
    pub role: SignatureRole,
    /// 0 for the applicant, then the co-signers in order.
    pub position: u32,
    /// The signer's personnummer (12 digits).
    pub personnummer: String,
    /// The signer's name, as their e-ID gave it.
    pub name: Option<String>,
    /// The e-ID used, e.g. `BankID`.
    pub provider: Option<String>,
    /// When it was signed.
    pub signed_at: Option<DateTime<Utc>>,
    /// SHA-256 (hex) of the answers signed (sent to BankID as `userNonVisibleData`).
    pub digest: String,
    /// The text shown in the BankID app (`userVisibleData`).
    pub summary: String,
    /// BankID's evidence exactly as it returned it.
    pub bankid: BankIdEvidence,
    /// SHA-256 (hex) of the case's answers at the time of the download.
    pub answers_digest_now: String,
    /// When this file was made.
    pub exported_at: DateTime<Utc>,
}

/// BankID's completion data, base64 as stored.
#[derive(Debug, Serialize, ToSchema)]
pub struct BankIdEvidence {
    /// The signature (base64 of the XML signature).
    pub signature: Option<String>,
    /// The OCSP response (base64).
    #[serde(rename = "ocspResponse")]
    pub ocsp_response: Option<String>,
}

/// Downloads the evidence of one signature of a case as a JSON file
/// (`underskrift-{reference}-{position}.json`). Only signatures that were
/// given have evidence. The download is written to the case's access log.
#[utoipa::path(tag = "cases", security(("bearer" = [])), params(
    ("reference" = String, Path, description = "The case reference"),
    ("id" = Uuid, Path, description = "The signature's id")
), responses(
    (status = 200, description = "The evidence, as an attachment", body = SignatureEvidence,
        headers(("Content-Disposition" = String, description = "attachment; filename=\"underskrift-{reference}-{position}.json\""))),
    (status = 403, description = "Not a case handler", body = ApiError),
    (status = 404, description = "No such case that you may handle, or no signed signature of it with that id", body = ApiError)
))]
#[get("/cases/{reference}/signatures/{id}/evidence")]
pub async fn get_case_signature_evidence(
    state: web::Data<AppState>,
    case: HandledCase<act::DownloadSignatureEvidence>,
    path: web::Path<(String, Uuid)>,
) -> Result<HttpResponse, AppError> {
    let (_, id) = path.into_inner();
    let (rec, service) = (&case.case, &case.service);
    let signature = crate::db::signature_evidence::find(&state.db, rec.id, id)
        .await?
        .filter(|s| s.is_signed())
        .ok_or_else(|| AppError::NotFound("The case has no signed signature with that id.".into()))?;
    let form_version = rec.form_version();
    let evidence = SignatureEvidence {
        reference: rec.reference.clone(),
        service: service.slug.clone(),
        form_version,
        role: signature.role,
        position: signature.position,
        personnummer: signature.personnummer,
        name: signature.name,
        provider: signature.provider,
        signed_at: signature.signed_at,
        digest: signature.digest,
        summary: signature.summary,
        bankid: BankIdEvidence { signature: signature.signature, ocsp_response: signature.ocsp_response },
        answers_digest_now: answers_digest(&service.slug, form_version, &rec.answers()?),
        exported_at: Utc::now(),
    };
    let body = serde_json::to_vec_pretty(&evidence).map_err(AppError::internal)?;
    // The reference is the platform's own (prefix, year, number); the name is safe as it is.
    let disposition = HeaderValue::from_str(&format!(
        "attachment; filename=\"underskrift-{}-{}.json\"",
        rec.reference, signature.position
    ))
    .map_err(AppError::internal)?;
    Ok(HttpResponse::Ok()
        .insert_header((header::CONTENT_TYPE, HeaderValue::from_static("application/json")))
        .insert_header((header::CONTENT_DISPOSITION, disposition))
        .insert_header((header::CACHE_CONTROL, HeaderValue::from_static("no-store")))
        .body(body))
}
