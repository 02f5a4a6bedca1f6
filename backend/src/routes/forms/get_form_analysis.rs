use actix_web::{HttpResponse, get, web};
use shared::analysis::{FlowSettings, findings, flow};
use shared::api::{ApiError, FormAnalysis, IdentityRequirement};
use shared::signing::SigningRequirement;

use crate::auth::extract::Admin;
use crate::error::AppError;
use crate::state::AppState;

/// What a version of a service's form does: pages and fields that can never be shown, rules
/// that never apply, never fail or never pass (found by trying every combination of boundary
/// answers, within bounds), and the service's flow (login, personal data, each page with the
/// condition that shows it, summary, signing, sending) for the builder to draw, and the texts
/// that have no English translation yet.
#[utoipa::path(tag = "forms", security(("bearer" = [])), params(
    ("slug" = String, Path, description = "The service's URL name"),
    ("version" = u32, Path, description = "The version number")
), responses(
    (status = 200, description = "The analysis", body = FormAnalysis),
    (status = 404, description = "No such version", body = ApiError)
))]
#[get("/services/{slug}/forms/{version}/analysis")]
pub async fn get_form_analysis(
    state: web::Data<AppState>,
    _admin: Admin,
    path: web::Path<(String, u32)>,
) -> Result<HttpResponse, AppError> {
    let (slug, version) = path.into_inner();
    let (service, view) = super::service_version(&state, &slug, version).await?;
    let settings = FlowSettings {
        login: service.identity == IdentityRequirement::EId,
        signing: service.signing.requirement != SigningRequirement::NotRequired,
    };
    let definition = view.definition;
    // Bounded (shared::analysis::MAX_WALKS), but not instant: off the async workers.
    let analysis = web::block(move || FormAnalysis {
        version,
        error: definition.check().err().map(|e| e.to_string()),
        findings: findings(&definition, shared::date::today()),
        flow: flow(&definition, settings),
        untranslated: definition.untranslated(),
    })
    .await
    .map_err(AppError::internal)?;
    Ok(HttpResponse::Ok().json(analysis))
}
