//! Staff accounts and roles, and logging in (staff password, development login, login tickets).

use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// A staff role.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum StaffRole {
    /// The platform team: builds and publishes services, sets permissions.
    PlatformAdmin,
    /// The business unit: owns a service's texts.
    ServiceOwner,
    /// Handles cases of the services they are permitted on.
    Handler,
    /// Looks up case status for callers, read-only.
    ContactCentre,
}

impl StaffRole {
    /// The machine name.
    pub fn as_str(self) -> &'static str {
        match self {
            StaffRole::PlatformAdmin => "platform_admin",
            StaffRole::ServiceOwner => "service_owner",
            StaffRole::Handler => "handler",
            StaffRole::ContactCentre => "contact_centre",
        }
    }
    /// Parses the machine name.
    pub fn parse(s: &str) -> Option<Self> {
        [Self::PlatformAdmin, Self::ServiceOwner, Self::Handler, Self::ContactCentre]
            .into_iter()
            .find(|r| r.as_str() == s)
    }
}

/// Body for creating a staff account.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct StaffUserInput {
    /// Login name: 2 to 64 lowercase letters, digits, `.`, `_` or `-`.
    #[cfg_attr(feature = "server", schema(pattern = r"^[a-z0-9._-]{2,64}$"))]
    pub username: String,
    /// Full name.
    pub display_name: String,
    /// Work e-mail address.
    pub email: String,
    /// Password, at least 12 characters.
    #[cfg_attr(feature = "server", schema(min_length = 12))]
    pub password: String,
    /// Roles; at least one.
    #[cfg_attr(feature = "server", schema(min_items = 1))]
    pub roles: Vec<StaffRole>,
}

/// A staff account (never with its password).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct StaffUserView {
    /// The account's id.
    pub id: Uuid,
    /// Login name.
    pub username: String,
    /// Full name.
    pub display_name: String,
    /// Work e-mail.
    pub email: String,
    /// Roles.
    pub roles: Vec<StaffRole>,
    /// Services the account is permitted on (URL names).
    pub services: Vec<String>,
}

/// Staff login.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct StaffLoginRequest {
    /// Login name.
    pub username: String,
    /// Password.
    pub password: String,
}

/// Applicant login through the development identity provider.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct DevLoginRequest {
    /// One of Skatteverket's official test personnummer.
    #[cfg_attr(feature = "server", schema(pattern = r"^(\d{6}|\d{8})[-+]?\d{4}$"))]
    pub personnummer: String,
}

/// An issued access token.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct TokenResponse {
    /// The JWT to send as `Authorization: Bearer …`.
    pub access_token: String,
    /// Always `Bearer`.
    pub token_type: String,
    /// Seconds until the token expires.
    pub expires_in: u64,
}

/// A one-time login ticket from an OIDC login redirect.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct TicketRequest {
    /// The `biljett` the login redirect carried.
    pub ticket: String,
}
