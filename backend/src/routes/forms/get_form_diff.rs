use actix_web::{HttpResponse, get, web};
use serde::Deserialize;
use shared::api::{ApiError, FormDiff};

use crate::auth::extract::ServiceBuilder;
use crate::error::AppError;
use crate::state::AppState;

/// The version to compare with.
#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct DiffQuery {
    /// The version compared from (the older one, usually).
    pub from: u32,
}

/// What changed from version `from` to this version of a service's form, in words (Swedish and
/// English): pages, questions, options, rules and conditions added, removed, moved or changed,
/// each naming the page, question or rule by its key. Platform admins, and service owners of
/// the service.
#[utoipa::path(tag = "forms", security(("bearer" = [])), params(
    ("slug" = String, Path, description = "The service's URL name"),
    ("version" = u32, Path, description = "The version compared to"),
    DiffQuery
), responses(
    (status = 200, description = "The changes", body = FormDiff),
    (status = 404, description = "No such version", body = ApiError)
))]
#[get("/services/{slug}/forms/{version}/diff")]
pub async fn get_form_diff(
    state: web::Data<AppState>,
    user: ServiceBuilder,
    path: web::Path<(String, u32)>,
    query: web::Query<DiffQuery>,
) -> Result<HttpResponse, AppError> {
    let (slug, version) = path.into_inner();
    let (_, to) = super::built_version(&state, &user, &slug, version).await?;
    let (_, from) = super::built_version(&state, &user, &slug, query.from).await?;
    let changes = shared::diff::diff(&from.definition, &to.definition);
    Ok(HttpResponse::Ok().json(FormDiff { from: query.from, to: version, changes }))
}
