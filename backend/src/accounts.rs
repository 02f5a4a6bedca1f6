//! Creating staff accounts, shared by the API, the CLI and start-up bootstrap.

use secrecy::{ExposeSecret, SecretString};
use shared::api::{StaffRole, StaffUserView};

use crate::auth::password;
use crate::db::Db;
use crate::db::staff::NewStaff;
use crate::domain::{EmailAddress, check_username, required_text};
use crate::error::{AppError, ErrorCode};

/// A request to create an account.
pub struct NewAccount {
    /// Login name.
    pub username: String,
    /// Display name.
    pub display_name: String,
    /// E-mail.
    pub email: String,
    /// Password.
    pub password: SecretString,
    /// Roles.
    pub roles: Vec<StaffRole>,
}

/// Validates and creates an account; 409 when the user name is taken.
pub async fn create(db: &Db, a: NewAccount) -> Result<StaffUserView, AppError> {
    let username = check_username(a.username.trim())?;
    let display_name = required_text(&a.display_name, "display_name", 200)?;
    let email = EmailAddress::parse(&a.email, "email")?;
    if a.password.expose_secret().chars().count() < password::MIN_LENGTH {
        return Err(AppError::new(
            ErrorCode::WeakPassword,
            format!("The password must be at least {} characters long.", password::MIN_LENGTH),
        ));
    }
    if a.roles.is_empty() {
        return Err(AppError::new(ErrorCode::MissingRoles, "Give the account at least one role."));
    }
    let mut roles = a.roles;
    roles.sort();
    roles.dedup();
    let pw = a.password;
    let password_hash = tokio::task::spawn_blocking(move || password::hash(&pw))
        .await
        .map_err(AppError::internal)?
        .map_err(AppError::internal)?;
    crate::db::staff::create(
        db,
        NewStaff { username: username.clone(), display_name, email: email.as_str().to_string(), password_hash, roles },
    )
    .await?
    .ok_or_else(|| AppError::new(ErrorCode::UsernameTaken, format!("The user name '{username}' is taken.")))
}
