use actix_web::{HttpResponse, get, web};
use shared::api::{ApiError, PersonalData, PostalAddress, RelatedPerson};

use crate::auth::extract::Applicant;
use crate::error::AppError;
use crate::navet::RelationKind;
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
    let personnummer = me.personnummer.as_digits();
    let person = state.population_register.lookup(&me.personnummer).await.map_err(|e| {
        tracing::warn!(error = %e, applicant = %me.personnummer.redacted(), "population register lookup failed");
        AppError::Unavailable
    })?;
    let data = match person {
        None => PersonalData {
            personnummer,
            protected: false,
            given_name: None,
            surname: None,
            address: None,
            children: Vec::new(),
            found_in_register: false,
        },
        Some(p) if p.is_protected() => PersonalData {
            personnummer,
            protected: true,
            given_name: None,
            surname: None,
            address: None,
            children: Vec::new(),
            found_in_register: true,
        },
        Some(p) => {
            let name = p.name();
            let display =
                |n: &crate::navet::Name| format!("{} {}", n.tilltalsnamn.as_ref().unwrap_or(&n.given_names), n.surname);
            PersonalData {
                personnummer,
                protected: false,
                given_name: Some(name.tilltalsnamn.clone().unwrap_or_else(|| name.given_names.clone())),
                surname: Some(name.surname.clone()),
                address: p.address().map(|a| PostalAddress {
                    care_of: a.care_of.clone(),
                    street: match &a.additional_line {
                        Some(extra) => format!("{extra}, {}", a.street),
                        None => a.street.clone(),
                    },
                    postal_code: a.postal_code.clone(),
                    city: a.city.clone(),
                }),
                children: p
                    .relations()
                    .iter()
                    .filter(|r| r.kind == RelationKind::Child)
                    .filter_map(|r| {
                        Some(RelatedPerson {
                            personnummer: r.personnummer.as_ref()?.as_digits(),
                            name: r.name.as_ref().map(display).unwrap_or_default(),
                        })
                    })
                    .collect(),
                found_in_register: true,
            }
        }
    };
    Ok(HttpResponse::Ok().insert_header(("Cache-Control", "no-store")).json(data))
}
