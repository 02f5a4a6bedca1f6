use actix_web::{HttpResponse, post, web};
use shared::api::ApiError;
use shared::handling::{CaseMessage, MessageAuthor, NewMessage};

use crate::auth::extract::Applicant;
use crate::error::AppError;
use crate::state::AppState;

/// Sends a message to the handlers of one of the signed-in applicant's cases,
/// with files uploaded first with `POST /uploads` (their ids in
/// `attachments`; the case takes them); the service's functional mailbox
/// gets a notice without the text.
#[utoipa::path(tag = "me", request_body = NewMessage, security(("bearer" = [])),
    params(("reference" = String, Path, description = "The case reference")), responses(
    (status = 201, description = "Sent", body = CaseMessage),
    (status = 404, description = "No such case of yours", body = ApiError),
    (status = 409, description = "`messaging_closed`: the case's status does not allow messages", body = ApiError),
    (status = 422, description = "The message is empty or too long, or an attachment is not yours to send (`unknown_attachment`), of a type a message cannot carry (`unsupported_file_type`), repeated or more than 10", body = ApiError)
))]
#[post("/me/cases/{reference}/messages")]
pub async fn send_my_case_message(
    state: web::Data<AppState>,
    me: Applicant,
    reference: web::Path<String>,
    body: web::Json<NewMessage>,
) -> Result<HttpResponse, AppError> {
    let (rec, service) = super::my_case(&state, &me, &reference).await?;
    let message = crate::messaging::send(&state, &rec, &service, MessageAuthor::Applicant, None, &body).await?;
    Ok(crate::routes::created(&format!("/me/cases/{}/messages", rec.reference)).json(message))
}
