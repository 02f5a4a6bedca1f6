//! The route table, in one place, and the OpenAPI document generated from it.
//! One handler per file; the handler's name is its OpenAPI operationId.

pub mod auth;
pub mod cases;
pub mod catalogue;
pub mod forms;
pub mod health;
pub mod me;
pub mod services;
pub mod staff;

use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::{Modify, OpenApi};
use utoipa_actix_web::service_config::ServiceConfig;
use utoipa_actix_web::{AppExt, scope};

use crate::auth::extract::StaffUser;
use crate::db::services::ServiceRef;
use crate::error::AppError;
use crate::state::AppState;

#[derive(OpenApi)]
#[openapi(
    info(
        title = "E-tjänsteplattform API",
        description = "JSON REST API of the municipal e-service platform: services and their forms, the public catalogue, case submission, case handling and the applicant's own cases. Errors have one shape, `ApiError`, with a stable `code`.",
        license(name = "EUPL-1.2")
    ),
    modifiers(&BearerAuth),
    tags(
        (name = "health", description = "Liveness and readiness"),
        (name = "auth", description = "Access tokens for staff and applicants"),
        (name = "catalogue", description = "Published services and case submission (public)"),
        (name = "services", description = "Services and permissions (staff)"),
        (name = "forms", description = "Form versions (platform admins)"),
        (name = "cases", description = "Case handling (handlers)"),
        (name = "me", description = "The signed-in applicant's own cases"),
        (name = "staff", description = "Staff accounts (platform admins)")
    )
)]
struct ApiDoc;

struct BearerAuth;

impl Modify for BearerAuth {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "bearer",
            SecurityScheme::Http(
                HttpBuilder::new()
                    .scheme(HttpAuthScheme::Bearer)
                    .bearer_format("JWT")
                    .build(),
            ),
        );
    }
}

/// Registers every API route (health at the root, the rest under `/api/v1`).
pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(health::health).service(health::ready).service(
        scope("/api/v1")
            .service(auth::create_staff_token::create_staff_token)
            .service(auth::create_dev_token::create_dev_token)
            .service(catalogue::list_catalogue::list_catalogue)
            .service(catalogue::get_catalogue_service::get_catalogue_service)
            .service(catalogue::submit_case::submit_case)
            .service(services::list_services::list_services)
            .service(services::create_service::create_service)
            .service(services::get_service::get_service)
            .service(services::update_service::update_service)
            .service(services::grant_permission::grant_permission)
            .service(services::revoke_permission::revoke_permission)
            .service(forms::list_form_versions::list_form_versions)
            .service(forms::create_form_version::create_form_version)
            .service(forms::get_form_version::get_form_version)
            .service(forms::update_form_version::update_form_version)
            .service(forms::publish_form_version::publish_form_version)
            .service(cases::list_cases::list_cases)
            .service(cases::get_case::get_case)
            .service(cases::change_case_status::change_case_status)
            .service(me::list_my_cases::list_my_cases)
            .service(me::get_my_case::get_my_case)
            .service(staff::list_staff_users::list_staff_users)
            .service(staff::create_staff_user::create_staff_user)
            .default_service(actix_web::web::to(no_such_endpoint)),
    );
}

async fn no_such_endpoint(
    req: actix_web::HttpRequest,
) -> Result<actix_web::HttpResponse, AppError> {
    Err(AppError::NotFound(format!(
        "There is no API endpoint {} {}.",
        req.method(),
        req.path()
    )))
}

/// The document's info, tags and security schemes; the paths come from [`configure`].
pub fn base_doc() -> utoipa::openapi::OpenApi {
    ApiDoc::openapi()
}

/// The OpenAPI document, generated from the handlers.
pub fn openapi() -> utoipa::openapi::OpenApi {
    let (_, api) = actix_web::App::new()
        .into_utoipa_app()
        .openapi(base_doc())
        .configure(configure)
        .split_for_parts();
    api
}

/// A service the caller may manage: platform admins any, others only those
/// they are permitted on (404 otherwise, revealing nothing).
pub async fn staff_service(
    state: &AppState,
    user: &StaffUser,
    slug: &str,
) -> Result<ServiceRef, AppError> {
    let not_found = || AppError::NotFound("There is no such service.".into());
    let service = crate::db::services::get_ref(&state.db, slug)
        .await?
        .ok_or_else(not_found)?;
    if user.has(shared::api::StaffRole::PlatformAdmin)
        || crate::db::staff::is_permitted(&state.db, service.id, user.id).await?
    {
        Ok(service)
    } else {
        Err(not_found())
    }
}

/// A service for a platform admin to build.
pub async fn admin_service(
    state: &AppState,
    user: &StaffUser,
    slug: &str,
) -> Result<ServiceRef, AppError> {
    user.require_admin()?;
    crate::db::services::get_ref(&state.db, slug)
        .await?
        .ok_or_else(|| AppError::NotFound("There is no such service.".into()))
}
