//! The signed-in applicant's own cases (the basis of Min sida), and the
//! messages on them.
pub mod answer_supplement;
pub mod decline_my_signature_request;
pub mod get_my_case;
pub mod get_my_case_signing;
pub mod get_my_personal_data;
pub mod get_my_previous_answers;
pub mod get_my_signature_request;
pub mod list_my_case_messages;
pub mod list_my_case_supplements;
pub mod list_my_cases;
pub mod list_my_signature_requests;
pub mod send_my_case_message;
pub mod sign_my_signature_request;

use crate::auth::extract::Applicant;
use crate::db::cases::CaseRecord;
use crate::db::services::ServiceRef;
use crate::error::AppError;
use crate::state::AppState;

/// One of the signed-in applicant's cases; anyone else's is 404.
pub async fn my_case(state: &AppState, me: &Applicant, reference: &str) -> Result<(CaseRecord, ServiceRef), AppError> {
    let not_found = || AppError::NotFound("You have no case with that reference.".into());
    let rec = crate::db::cases::find(&state.db, reference).await?.ok_or_else(not_found)?;
    if rec.applicant_personnummer.as_deref() != Some(me.personnummer.as_digits().as_str()) {
        return Err(not_found());
    }
    let service = crate::db::services::get_ref_by_id(&state.db, rec.service_id).await?.ok_or_else(not_found)?;
    Ok((rec, service))
}
