//! The route table, in one place, and the OpenAPI document generated from it.
//! One handler per file; the handler's name is its OpenAPI operationId.

pub mod auth;
pub mod cases;
pub mod catalogue;
pub mod contact_centre;
pub mod documents;
pub mod drafts;
pub mod follow;
pub mod forms;
pub mod health;
pub mod me;
pub mod outbox;
pub mod retention;
pub mod services;
pub mod signing;
pub mod staff;
pub mod uploads;

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
        (name = "follow", description = "An anonymous applicant's case through its private link (the token in `Authorization: CaseLink <token>`)"),
        (name = "signing", description = "Signing with BankID: the applicant's signature of an application, the co-signers' requests (signatures waiting for me), polling and cancelling"),
        (name = "drafts", description = "The signed-in applicant's drafts: save as you go, resume anywhere, submit"),
        (name = "uploads", description = "Files for file fields: upload, then refer to them in answers"),
        (name = "staff", description = "Staff accounts (platform admins)"),
        (name = "contact-centre", description = "The contact centre's status look-up by reference"),
        (name = "outbox", description = "Queued e-mail: pending, sent and dead-lettered (platform admins)"),
        (name = "retention", description = "Retention: the dry run, the purge log and the purge job (platform admins and service owners)")
    )
)]
struct ApiDoc;

struct BearerAuth;

impl Modify for BearerAuth {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "bearer",
            SecurityScheme::Http(HttpBuilder::new().scheme(HttpAuthScheme::Bearer).bearer_format("JWT").build()),
        );
        components.add_security_scheme(
            "case_link",
            SecurityScheme::ApiKey(utoipa::openapi::security::ApiKey::Header(
                utoipa::openapi::security::ApiKeyValue::with_description(
                    "Authorization",
                    "`CaseLink <token>`: the token of an anonymous case's private link (the part after `#`).",
                ),
            )),
        );
    }
}

/// Registers every API route (health at the root, the rest under `/api/v1`).
pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(health::health).service(health::ready).service(
        scope("/api/v1")
            .service(auth::create_staff_token::create_staff_token)
            .service(auth::create_dev_token::create_dev_token)
            .service(auth::renew_session::renew_session)
            .service(auth::end_session::end_session)
            .service(auth::start_oidc_login::start_oidc_login)
            .service(auth::finish_oidc_login::finish_oidc_login)
            .service(auth::redeem_login_ticket::redeem_login_ticket)
            .service(auth::start_bankid_login::start_bankid_login)
            .service(auth::poll_bankid_login::poll_bankid_login)
            .service(auth::cancel_bankid_login::cancel_bankid_login)
            .service(catalogue::list_catalogue::list_catalogue)
            .service(catalogue::get_catalogue_service::get_catalogue_service)
            .service(catalogue::submit_case::submit_case)
            .service(signing::start_signing::start_signing)
            .service(signing::get_signing::get_signing)
            .service(signing::cancel_signing::cancel_signing)
            .service(services::list_services::list_services)
            .service(services::create_service::create_service)
            .service(services::get_service::get_service)
            .service(services::update_service::update_service)
            .service(services::delete_service::delete_service)
            .service(services::unpublish_service::unpublish_service)
            .service(services::copy_service::copy_service)
            .service(services::list_builder_log::list_builder_log)
            .service(services::grant_permission::grant_permission)
            .service(services::revoke_permission::revoke_permission)
            .service(forms::list_form_versions::list_form_versions)
            .service(forms::create_form_version::create_form_version)
            .service(forms::get_form_version::get_form_version)
            .service(forms::get_form_analysis::get_form_analysis)
            .service(forms::get_form_diff::get_form_diff)
            .service(forms::get_publish_checklist::get_publish_checklist)
            .service(forms::update_form_version::update_form_version)
            .service(forms::publish_form_version::publish_form_version)
            .service(forms::restore_form_version::restore_form_version)
            .service(cases::list_cases::list_cases)
            .service(cases::search_cases::search_cases)
            .service(cases::count_cases::count_cases)
            .service(cases::get_case::get_case)
            .service(cases::change_case_status::change_case_status)
            .service(cases::assign_case::assign_case)
            .service(cases::assign_case_to_me::assign_case_to_me)
            .service(cases::list_case_handlers::list_case_handlers)
            .service(cases::list_case_messages::list_case_messages)
            .service(cases::send_case_message::send_case_message)
            .service(cases::list_case_notes::list_case_notes)
            .service(cases::add_case_note::add_case_note)
            .service(cases::get_case_access_log::get_case_access_log)
            .service(cases::get_case_legal_hold::get_case_legal_hold)
            .service(cases::request_supplement::request_supplement)
            .service(cases::list_case_supplements::list_case_supplements)
            .service(cases::set_legal_hold::set_legal_hold)
            .service(cases::lift_legal_hold::lift_legal_hold)
            .service(cases::list_case_signatures::list_case_signatures)
            .service(cases::get_case_signature_evidence::get_case_signature_evidence)
            .service(cases::verify_case_signatures::verify_case_signatures)
            .service(retention::get_retention_preview::get_retention_preview)
            .service(retention::export_purge_log::export_purge_log)
            .service(retention::list_purge_log::list_purge_log)
            .service(retention::get_retention_status::get_retention_status)
            .service(retention::start_retention_run::start_retention_run)
            .service(contact_centre::lookup_case_status::lookup_case_status)
            .service(me::list_my_cases::list_my_cases)
            .service(me::get_my_previous_answers::get_my_previous_answers)
            .service(me::get_my_case::get_my_case)
            .service(follow::get_followed_case::get_followed_case)
            .service(follow::list_followed_case_messages::list_followed_case_messages)
            .service(follow::send_followed_case_message::send_followed_case_message)
            .service(cases::revoke_follow_link::revoke_follow_link)
            .service(me::get_my_personal_data::get_my_personal_data)
            .service(me::list_my_case_messages::list_my_case_messages)
            .service(me::send_my_case_message::send_my_case_message)
            .service(me::list_my_case_supplements::list_my_case_supplements)
            .service(me::answer_supplement::answer_supplement)
            .service(me::get_my_case_signing::get_my_case_signing)
            .service(me::list_my_signature_requests::list_my_signature_requests)
            .service(me::get_my_signature_request::get_my_signature_request)
            .service(me::sign_my_signature_request::sign_my_signature_request)
            .service(me::decline_my_signature_request::decline_my_signature_request)
            .service(drafts::create_draft::create_draft)
            .service(drafts::list_my_drafts::list_my_drafts)
            .service(drafts::get_my_draft::get_my_draft)
            .service(drafts::save_my_draft::save_my_draft)
            .service(drafts::delete_my_draft::delete_my_draft)
            .service(drafts::submit_my_draft::submit_my_draft)
            .service(uploads::create_upload::create_upload)
            .service(uploads::get_my_upload::get_my_upload)
            .service(documents::attach_case_document::attach_case_document)
            .service(documents::list_case_documents::list_case_documents)
            .service(documents::get_case_document::get_case_document)
            .service(documents::get_case_attachment::get_case_attachment)
            .service(documents::list_my_case_documents::list_my_case_documents)
            .service(documents::get_my_case_document::get_my_case_document)
            .service(documents::get_my_case_attachment::get_my_case_attachment)
            .service(documents::attach_message_file::attach_message_file)
            .service(documents::get_case_message_attachment::get_case_message_attachment)
            .service(documents::get_my_message_attachment::get_my_message_attachment)
            .service(staff::list_staff_users::list_staff_users)
            .service(staff::create_staff_user::create_staff_user)
            .service(staff::get_staff_access_log::get_staff_access_log)
            .service(outbox::list_outbox_items::list_outbox_items)
            .service(outbox::retry_outbox_item::retry_outbox_item)
            .default_service(actix_web::web::to(no_such_endpoint)),
    );
}

/// Answers a request no route took: 405 with `Allow` when the path exists
/// with other methods, 404 otherwise; both in the JSON error shape. A path
/// with a trailing slash is another path (404, saying so).
async fn no_such_endpoint(req: actix_web::HttpRequest) -> Result<actix_web::HttpResponse, AppError> {
    if allowed_methods(req.path()).is_empty() {
        let hint = match req.path().strip_suffix('/') {
            Some(bare) if !allowed_methods(bare).is_empty() => {
                format!(" Did you mean {bare}, without the trailing slash?")
            }
            _ => String::new(),
        };
        return Err(AppError::NotFound(format!("There is no API endpoint {} {}.{hint}", req.method(), req.path())));
    }
    Ok(method_not_allowed(&req))
}

/// 405 with `Allow` (the methods the API serves on the path) in the JSON error shape.
pub fn method_not_allowed(req: &actix_web::HttpRequest) -> actix_web::HttpResponse {
    let allowed = allowed_methods(req.path());
    let err = if allowed.is_empty() {
        AppError::MethodNotAllowed(format!("{} is not allowed on {}.", req.method(), req.path()))
    } else {
        AppError::MethodNotAllowed(format!("{} is not allowed here; use {}.", req.method(), allowed.join(", ")))
    };
    let mut resp = actix_web::ResponseError::error_response(&err);
    if let Ok(v) = actix_web::http::header::HeaderValue::from_str(&allowed.join(", ")) {
        resp.headers_mut().insert(actix_web::http::header::ALLOW, v);
    }
    resp
}

/// The methods the API serves on a concrete path, from the OpenAPI paths.
pub fn allowed_methods(path: &str) -> Vec<&'static str> {
    static TEMPLATES: std::sync::OnceLock<Vec<(Vec<String>, Vec<&'static str>)>> = std::sync::OnceLock::new();
    let templates = TEMPLATES.get_or_init(|| {
        openapi()
            .paths
            .paths
            .iter()
            .map(|(template, item)| {
                let segments = template.trim_matches('/').split('/').map(String::from).collect();
                let methods = [
                    ("GET", item.get.is_some()),
                    ("PUT", item.put.is_some()),
                    ("POST", item.post.is_some()),
                    ("DELETE", item.delete.is_some()),
                ]
                .into_iter()
                .filter_map(|(m, present)| present.then_some(m))
                .collect();
                (segments, methods)
            })
            .collect()
    });
    // Only the leading slash goes: `/api/v1/catalogue/` has an empty last segment and matches nothing.
    let parts: Vec<&str> = path.strip_prefix('/').unwrap_or(path).split('/').collect();
    let mut out: Vec<&'static str> = templates
        .iter()
        .filter(|(segs, _)| {
            segs.len() == parts.len()
                && segs.iter().zip(&parts).all(|(t, p)| (t.starts_with('{') && !p.is_empty()) || t == p)
        })
        .flat_map(|(_, m)| m.iter().copied())
        .collect();
    out.sort_unstable();
    out.dedup();
    out
}

/// The document's info, tags and security schemes; the paths come from [`configure`].
pub fn base_doc() -> utoipa::openapi::OpenApi {
    ApiDoc::openapi()
}

/// The OpenAPI document, generated from the handlers.
pub fn openapi() -> utoipa::openapi::OpenApi {
    let (_, api) = actix_web::App::new().into_utoipa_app().openapi(base_doc()).configure(configure).split_for_parts();
    with_common_responses(api)
}

/// Documents the answers every operation can give besides its own: 400 for
/// a malformed request, 404 where the path names a resource, 401/403 where a
/// token is needed, 413 where there is a body, and 500. Each uses the `ApiError` shape.
pub fn with_common_responses(mut api: utoipa::openapi::OpenApi) -> utoipa::openapi::OpenApi {
    use utoipa::openapi::{ContentBuilder, Ref, RefOr, ResponseBuilder};
    let error = |description: &str| -> RefOr<utoipa::openapi::Response> {
        RefOr::T(
            ResponseBuilder::new()
                .description(description)
                .content(
                    "application/json",
                    ContentBuilder::new().schema(Some(Ref::from_schema_name("ApiError"))).build(),
                )
                .build(),
        )
    };
    for (path, item) in api.paths.paths.iter_mut() {
        let names_a_resource = path.contains('{');
        for op in [&mut item.get, &mut item.put, &mut item.post, &mut item.delete].into_iter().flatten() {
            let needs_token = op.security.as_ref().is_some_and(|reqs| !reqs.is_empty());
            let has_body = op.request_body.is_some();
            let json_body = matches!(&op.request_body, Some(RefOr::T(b)) if b.content.contains_key("application/json"));
            let has_params = op.parameters.as_ref().is_some_and(|p| !p.is_empty());
            let r = &mut op.responses.responses;
            if has_body || has_params {
                r.entry("400".into()).or_insert_with(|| {
                    error("The request is malformed (bad JSON, path or query); `message` says what is wrong")
                });
            }
            if names_a_resource {
                r.entry("404".into()).or_insert_with(|| error("Nothing with that name that the caller may see"));
            }
            if needs_token {
                r.entry("401".into()).or_insert_with(|| error("No token, or an invalid or expired one"));
                r.entry("403".into()).or_insert_with(|| error("The token is valid but lacks the permission"));
            }
            if has_body {
                r.entry("413".into()).or_insert_with(|| error("The body is larger than the configured limit"));
            }
            if json_body {
                r.entry("415".into()).or_insert_with(|| {
                    error("The body is not in the media type the operation takes (JSON bodies need `Content-Type: application/json`)")
                });
            }
            if let Some(RefOr::T(created)) = r.get_mut("201") {
                created.headers.entry("Location".into()).or_insert_with(|| {
                    RefOr::T(
                        utoipa::openapi::HeaderBuilder::new()
                            .schema(Some(
                                utoipa::openapi::ObjectBuilder::new().schema_type(utoipa::openapi::Type::String),
                            ))
                            .description(Some("The created resource's address (or the list it was added to)"))
                            .build(),
                    )
                });
            }
            r.entry("500".into()).or_insert_with(|| error("Internal error; the body reveals nothing"));
            if path == "/health" {
                continue;
            }
            r.entry("503".into()).or_insert_with(|| {
                error("The database or the file store is temporarily unavailable (down, full or read-only); nothing was kept. Send the same request again after `Retry-After` seconds")
            });
        }
    }
    api
}

/// A 201 whose `Location` is the created resource's address under `/api/v1`
/// (or, for what has no address of its own, the list it was added to). The
/// OpenAPI document gives every 201 the header ([`with_common_responses`]).
pub fn created(path: &str) -> actix_web::HttpResponseBuilder {
    let mut r = actix_web::HttpResponse::Created();
    r.insert_header((actix_web::http::header::LOCATION, format!("/api/v1{path}")));
    r
}

/// The paging of a list that takes nothing else (`?after=…&limit=…`).
#[derive(Debug, serde::Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct PageQuery {
    /// The `next_cursor` of the previous page.
    pub after: Option<String>,
    /// Page size, 1 to 100 (default 25), a whole number written without a decimal point
    /// (`25`; `25.0` is refused with 400 `invalid_query`).
    #[param(minimum = 1, maximum = 100)]
    pub limit: Option<u64>,
}

/// The page a list request asks for: `limit` (1 to `PAGE_MAX`, default
/// `PAGE_DEFAULT`) and the item it starts after (`after`, the `next_cursor`
/// of the page before). The one reading of paging for every list.
pub fn page_request(limit: Option<u64>, after: Option<&str>) -> Result<(u64, Option<uuid::Uuid>), AppError> {
    use shared::api::{PAGE_DEFAULT, PAGE_MAX};
    let limit = limit.unwrap_or(PAGE_DEFAULT);
    if !(1..=PAGE_MAX).contains(&limit) {
        return Err(AppError::new(
            crate::error::ErrorCode::InvalidLimit,
            format!("limit must be between 1 and {PAGE_MAX}."),
        ));
    }
    let after = after.map(uuid::Uuid::parse_str).transpose().map_err(|_| {
        AppError::new(crate::error::ErrorCode::InvalidCursor, "after must be the next_cursor of a previous page.")
    })?;
    Ok((limit, after))
}

/// A service the caller may manage: platform admins any, others only those
/// they are permitted on (404 otherwise, revealing nothing).
pub async fn staff_service(state: &AppState, user: &StaffUser, slug: &str) -> Result<ServiceRef, AppError> {
    let not_found = || AppError::NotFound("There is no such service.".into());
    let service = crate::db::services::get_ref(&state.db, slug).await?.ok_or_else(not_found)?;
    if user.has(shared::api::StaffRole::PlatformAdmin)
        || crate::db::staff::is_permitted(&state.db, service.id, user.id).await?
    {
        Ok(service)
    } else {
        Err(not_found())
    }
}

/// A save refused because someone saved a newer revision of `what` (412 `edit_conflict`),
/// saying who and when.
pub fn edit_conflict(what: &str, changed: &crate::db::services::Changed) -> AppError {
    let who = changed.by.as_deref().unwrap_or("Someone");
    AppError::new(
        crate::error::ErrorCode::EditConflict,
        format!(
            "{who} saved {what} at {} UTC (revision {}), after the revision this change was made from. Nothing was \
             saved: load it again to see their change, and make yours again if it is still needed.",
            changed.at.format("%Y-%m-%d %H:%M"),
            changed.revision
        ),
    )
}

/// A service for a platform admin to build (the handler takes an `Admin`).
pub async fn admin_service(state: &AppState, slug: &str) -> Result<ServiceRef, AppError> {
    crate::db::services::get_ref(&state.db, slug)
        .await?
        .ok_or_else(|| AppError::NotFound("There is no such service.".into()))
}
