use actix_web::{HttpResponse, post, web};
use shared::StatusKind;
use shared::api::ApiError;
use shared::handling::{Supplement, SupplementRequestInput};

use crate::auth::extract::StaffUser;
use crate::error::AppError;
use crate::state::AppState;

/// Asks the applicant to supplement the case ("komplettering"): the case moves
/// to a status of kind `awaiting_supplement`, the applicant is told by mail
/// (without the message) and answers on Min sida, and the case then returns
/// to the status it had, with the changes recorded. The status must let the
/// applicant supplement (`applicant_may_supplement`); an older open request
/// of the case is closed (only the newest can be answered).
#[utoipa::path(tag = "cases", request_body = SupplementRequestInput, security(("bearer" = [])),
    params(("reference" = String, Path, description = "The case reference")), responses(
    (status = 201, description = "Asked", body = Supplement),
    (status = 404, description = "No such case that you may handle", body = ApiError),
    (status = 409, description = "`no_supplement_status` (the service has no status of kind awaiting_supplement), `already_awaiting_supplement`, `case_closed`, or `status_changed_meanwhile`", body = ApiError),
    (status = 422, description = "The message is empty or too long, a field is not in the case's form, or the status does not let the applicant supplement (`status_not_supplementable`)", body = ApiError)
))]
#[post("/cases/{reference}/supplement-requests")]
pub async fn request_supplement(
    state: web::Data<AppState>,
    user: StaffUser,
    reference: web::Path<String>,
    body: web::Json<SupplementRequestInput>,
) -> Result<HttpResponse, AppError> {
    let (rec, service) = super::handled_case(&state, &user, &reference).await?;
    let body = body.into_inner();
    let message = crate::messaging::text(&body.message, "message")?;
    let to = match &body.status {
        Some(key) => service.statuses.iter().find(|s| &s.key == key && s.kind == StatusKind::AwaitingSupplement),
        None => service
            .statuses
            .iter()
            .find(|s| s.kind == StatusKind::AwaitingSupplement && s.applicant_may_supplement),
    }
    .ok_or_else(|| {
        AppError::conflict(
            "no_supplement_status",
            "The service has no such status of kind awaiting_supplement; add one to its status list (with applicant_may_supplement) first.",
        )
    })?;
    if !to.applicant_may_supplement {
        return Err(AppError::unprocessable(
            "status_not_supplementable",
            format!(
                "In status '{}' the applicant cannot supplement (its applicant_may_supplement is off); choose a status that lets them, or turn it on.",
                to.key
            ),
        ));
    }
    let current = service.statuses.iter().find(|s| s.key == rec.status_key).map(|s| s.kind);
    match current {
        Some(StatusKind::AwaitingSupplement) => {
            return Err(AppError::conflict("already_awaiting_supplement", "The case already waits for a supplement."));
        }
        Some(StatusKind::Closed) => {
            return Err(AppError::conflict("case_closed", "The case is closed; re-open it before asking for more."));
        }
        _ => {}
    }
    let detail = crate::db::cases::detail(&state.db, &rec, &service).await?;
    for key in &body.fields {
        if !detail.form.field(key).is_some_and(|f| f.kind.takes_answer()) {
            return Err(AppError::unprocessable(
                "unknown_field",
                format!("'{key}' is not a field of this case's form that takes an answer."),
            ));
        }
    }
    let mails = crate::messaging::mails_about(&state, &rec, &service, &crate::outbox::SUPPLEMENT_REQUESTED)?;
    let asked = crate::db::supplements::request(
        &state.db,
        crate::db::supplements::NewRequest {
            case_id: rec.id,
            staff_id: user.id,
            staff_name: &user.username,
            message: &message,
            fields: &body.fields,
            from_key: &rec.status_key,
            to,
        },
        mails,
    )
    .await?
    .ok_or_else(|| {
        AppError::conflict(
            "status_changed_meanwhile",
            "Someone changed the case's status meanwhile. Reload and try again.",
        )
    })?;
    state.outbox_wake.notify_one();
    tracing::info!(case.reference = %rec.reference, staff.username = %user.username, "supplement requested");
    Ok(crate::routes::created(&format!("/cases/{}/supplements", rec.reference)).json(asked))
}
