use actix_web::{HttpResponse, post, web};
use shared::StatusKind;
use shared::api::{ApiError, CaseDetail, ChangeStatusRequest};

use crate::auth::extract::StaffUser;
use crate::db::cases::StatusUpdate;
use crate::error::AppError;
use crate::state::AppState;

/// Longest status-change comment.
const MAX_COMMENT: usize = 2_000;

/// Moves a case to another status of its service's list, recording who,
/// when, from, to and the comment in the history. Open supplement requests
/// are closed (the case no longer waits for them). A status of kind
/// `awaiting_supplement` is reached only by asking for a supplement.
#[utoipa::path(tag = "cases", request_body = ChangeStatusRequest, security(("bearer" = [])),
    params(("reference" = String, Path, description = "The case reference")), responses(
    (status = 200, description = "Changed; the case", body = CaseDetail),
    (status = 404, description = "No such case that you may handle", body = ApiError),
    (status = 409, description = "The case already has that status, or changed meanwhile", body = ApiError),
    (status = 422, description = "Not a status of the service, one only the platform sets, or one of kind awaiting_supplement (`supplement_needs_request`: ask for a supplement instead)", body = ApiError)
))]
#[post("/cases/{reference}/status")]
pub async fn change_case_status(
    state: web::Data<AppState>,
    user: StaffUser,
    reference: web::Path<String>,
    body: web::Json<ChangeStatusRequest>,
) -> Result<HttpResponse, AppError> {
    let (rec, service) = super::handled_case(&state, &user, &reference).await?;
    let body = body.into_inner();
    let to = service.statuses.iter().find(|s| s.key == body.status).ok_or_else(|| {
        let keys: Vec<_> = service.statuses.iter().map(|s| s.key.as_str()).collect();
        AppError::unprocessable(
            "unknown_status",
            format!("'{}' is not a status of this service; use one of: {}.", body.status, keys.join(", ")),
        )
    })?;
    if !to.kind.settable_by_staff() {
        return Err(AppError::unprocessable(
            "status_not_settable",
            format!("Status '{}' is set by the platform, not by hand.", to.key),
        ));
    }
    if to.kind == StatusKind::AwaitingSupplement {
        return Err(AppError::unprocessable(
            "supplement_needs_request",
            format!(
                "Status '{}' waits for a supplement; ask for one with POST /api/v1/cases/{{reference}}/supplement-requests, which moves the case there and tells the applicant what to do.",
                to.key
            ),
        ));
    }
    if to.key == rec.status_key {
        return Err(AppError::conflict("status_unchanged", format!("The case already has status '{}'.", to.key)));
    }
    let comment = body.comment.map(|c| c.trim().to_string()).filter(|c| !c.is_empty());
    if comment.as_ref().is_some_and(|c| c.chars().count() > MAX_COMMENT) {
        return Err(AppError::unprocessable(
            "comment_too_long",
            format!("The comment can be at most {MAX_COMMENT} characters."),
        ));
    }
    let mails = if to.notify_applicant && state.settings.mail.enabled {
        crate::outbox::plan(
            &crate::outbox::STATUS_CHANGED,
            &crate::outbox::Recipients { applicant: rec.contact_email.clone(), handler_mailbox: None },
            crate::outbox::Language::parse(rec.language.as_deref()),
            &state.settings.mail.message_id_domain(),
        )
    } else {
        Vec::new()
    };
    let payload = serde_json::to_value(crate::outbox::Payload {
        reference: rec.reference.clone(),
        submitted_at: rec.submitted_at,
    })
    .map_err(AppError::internal)?;
    let changed = crate::db::cases::change_status(
        &state.db,
        rec.id,
        StatusUpdate {
            from_key: &rec.status_key,
            to,
            by_staff: user.id,
            by_name: &user.username,
            comment,
            mails,
            payload,
            service_id: service.id,
        },
    )
    .await?;
    state.outbox_wake.notify_one();
    if !changed {
        return Err(AppError::conflict(
            "status_changed_meanwhile",
            "Someone changed the case's status meanwhile. Reload and try again.",
        ));
    }
    tracing::info!(case.reference = %reference, status.from = %rec.status_key, status.to = %to.key, "case status changed");
    let (rec, service) = super::handled_case(&state, &user, &reference).await?;
    let detail = crate::db::cases::detail(&state.db, &rec, &service).await?;
    Ok(HttpResponse::Ok().json(detail))
}
