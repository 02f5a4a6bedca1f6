use actix_web::{HttpResponse, post, web};
use shared::api::ApiError;
use shared::handling::{CaseMessage, MessageAuthor, NewMessage};

use crate::error::AppError;
use crate::handling::{HandledCase, act};
use crate::state::AppState;

/// Sends a message to the applicant, with files uploaded first with
/// `POST /cases/{reference}/message-attachments` (their ids in `attachments`).
/// The applicant gets an e-mail (if the form gave an address) that says only
/// that a message waits on Min sida.
#[utoipa::path(tag = "cases", request_body = NewMessage, security(("bearer" = [])),
    params(("reference" = String, Path, description = "The case reference")), responses(
    (status = 201, description = "Sent", body = CaseMessage),
    (status = 404, description = "No such case that you may handle", body = ApiError),
    (status = 409, description = "`messaging_closed`: the case's status does not allow messages", body = ApiError),
    (status = 422, description = "The message is empty or too long, or an attachment is not yours to send (`unknown_attachment`), of a type a message cannot carry (`unsupported_file_type`), repeated or more than 10", body = ApiError)
))]
#[post("/cases/{reference}/messages")]
pub async fn send_case_message(
    state: web::Data<AppState>,
    case: HandledCase<act::SendMessage>,
    body: web::Json<NewMessage>,
) -> Result<HttpResponse, AppError> {
    let (rec, service, user) = (&case.case, &case.service, &case.user);
    let message = crate::messaging::send(&state, rec, service, MessageAuthor::Staff, Some(user.id), &body).await?;
    Ok(crate::routes::created(&format!("/cases/{}/messages", rec.reference)).json(message))
}
