use actix_web::{HttpResponse, get, web};
use shared::api::{ApiError, PersonalData};

use crate::auth::extract::Applicant;
use crate::error::AppError;
use crate::state::AppState;

/// The signed-in applicant's own data from the population register, for the
/// personal data step. Nothing of it is stored. For a protected identity
/// (sekretessmarkering or skyddad folkbokföring) the answer holds only the
/// personnummer and `protected: true`: never a name, address or relation.
#[utoipa::path(tag = "me", security(("bearer" = [])), responses(
    (status = 200, description = "The applicant's data, or only that it is protected", body = PersonalData),
    (status = 503, description = "The population register cannot be reached", body = ApiError)
))]
#[get("/me/person")]
pub async fn get_my_personal_data(state: web::Data<AppState>, me: Applicant) -> Result<HttpResponse, AppError> {
    let person = state.population_register.lookup(&me.personnummer).await.map_err(|e| {
        tracing::warn!(error = %e, applicant = %me.personnummer.redacted(), "population register lookup failed");
        AppError::Unavailable
    })?;
    let data = crate::navet::personal_data(&me.personnummer, person.as_ref());
    Ok(HttpResponse::Ok().insert_header(("Cache-Control", "no-store")).json(data))
}
