//! An anonymous applicant's case through its private link (see
//! [`crate::follow_link`]): its status and history, and the messages with the
//! handlers, read and answered. The link's token comes in the header
//! `Authorization: CaseLink <token>`, never in the address. A wrong token, a
//! revoked link, a case with an e-ID applicant and no case at all are the same
//! 404, so a guess learns nothing.

pub mod get_followed_case;
pub mod list_followed_case_messages;
pub mod send_followed_case_message;

use actix_web::HttpRequest;

use crate::db::cases::CaseRecord;
use crate::db::services::ServiceRef;
use crate::error::{AppError, ErrorCode};
use crate::state::AppState;

/// The case whose private link the request carries.
pub async fn followed_case(
    state: &AppState,
    req: &HttpRequest,
    reference: &str,
) -> Result<(CaseRecord, ServiceRef), AppError> {
    let not_found = || AppError::NotFound("There is no case with that reference and link.".into());
    let token = req
        .headers()
        .get(actix_web::http::header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix(crate::follow_link::SCHEME))
        .and_then(|v| v.strip_prefix(' '))
        .ok_or_else(|| {
            AppError::new(
                ErrorCode::MissingCaseLink,
                "Send the token of the case's private link in the header Authorization: CaseLink <token>.",
            )
        })?;
    let rec = crate::db::cases::find(&state.db, reference).await?.ok_or_else(not_found)?;
    if !rec.follow_link_active() || !state.follow_links.verify(rec.id, token) {
        return Err(not_found());
    }
    let service = crate::db::services::get_ref_by_id(&state.db, rec.service_id).await?.ok_or_else(not_found)?;
    Ok((rec, service))
}
