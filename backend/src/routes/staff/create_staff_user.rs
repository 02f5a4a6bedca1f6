use actix_web::{HttpResponse, post, web};
use secrecy::SecretString;
use shared::api::{ApiError, StaffUserInput, StaffUserView};

use crate::accounts::NewAccount;
use crate::auth::extract::Admin;
use crate::error::AppError;
use crate::state::AppState;

/// Creates a staff account. Platform admins only.
#[utoipa::path(tag = "staff", request_body = StaffUserInput, security(("bearer" = [])), responses(
    (status = 201, description = "Created", body = StaffUserView),
    (status = 409, description = "The user name is taken", body = ApiError),
    (status = 422, description = "A field is not valid", body = ApiError)
))]
#[post("/staff")]
pub async fn create_staff_user(
    state: web::Data<AppState>,
    user: Admin,
    body: web::Json<StaffUserInput>,
) -> Result<HttpResponse, AppError> {
    let b = body.into_inner();
    let view = crate::accounts::create(
        &state.db,
        NewAccount {
            username: b.username,
            display_name: b.display_name,
            email: b.email,
            password: SecretString::from(b.password),
            roles: b.roles,
        },
    )
    .await?;
    tracing::info!(staff.username = %view.username, by = %user.username, "staff account created");
    Ok(crate::routes::created("/staff").json(view))
}
