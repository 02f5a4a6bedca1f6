use actix_web::{HttpRequest, HttpResponse, post, web};
use shared::api::ApiError;
use shared::handling::{CaseMessage, MessageAuthor, NewMessage};

use crate::error::{AppError, ErrorCode};
use crate::state::AppState;

/// Answers the handlers of an anonymous case through its private link (text
/// only); the service's functional mailbox gets a notice without the text.
#[utoipa::path(tag = "follow", request_body = NewMessage, security(("case_link" = [])),
    params(("reference" = String, Path, description = "The case reference")), responses(
    (status = 201, description = "Sent", body = CaseMessage),
    (status = 401, description = "No `Authorization: CaseLink <token>` header", body = ApiError),
    (status = 404, description = "No such case with that link (or the link was revoked)", body = ApiError),
    (status = 409, description = "`messaging_closed`: the case's status does not allow messages", body = ApiError),
    (status = 422, description = "The message is empty or too long, or carries files (`attachments_not_supported`)", body = ApiError)
))]
#[post("/follow/{reference}/messages")]
pub async fn send_followed_case_message(
    state: web::Data<AppState>,
    req: HttpRequest,
    reference: web::Path<String>,
    body: web::Json<NewMessage>,
) -> Result<HttpResponse, AppError> {
    let (rec, service) = super::followed_case(&state, &req, &reference).await?;
    if !body.attachments.is_empty() {
        return Err(AppError::new(
            ErrorCode::AttachmentsNotSupported,
            "Files cannot be sent through the case's link; write the message without them.",
        ));
    }
    let message = crate::messaging::send(&state, &rec, &service, MessageAuthor::Applicant, None, &body).await?;
    Ok(crate::routes::created(&format!("/follow/{}/messages", rec.reference)).json(message))
}
