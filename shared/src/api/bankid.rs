//! BankID login: starting an order and following it.

use serde::{Deserialize, Serialize};

use super::TokenResponse;

/// Starts a BankID login.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct BankIdLoginRequest {
    /// True when BankID is started on this device with the autostart token;
    /// false (default) when the user scans the animated QR code with another device.
    #[serde(default)]
    pub same_device: bool,
}

/// A started BankID login. BankID's `orderRef` and `qrStartSecret` never leave the server.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct BankIdLoginStarted {
    /// The login's opaque id: poll `GET /api/v1/auth/bankid/{login_id}`.
    pub login_id: String,
    /// Starts BankID on the same device: `bankid:///?autostarttoken={auto_start_token}&redirect=null`.
    pub auto_start_token: String,
}

/// Where a BankID login is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum BankIdLoginStatus {
    /// Waiting for the user; poll again.
    Pending,
    /// Ended without a login; show the message and offer to start again.
    Failed,
    /// Logged in; the answer carries the token (once).
    Complete,
}

/// A message BankID recommends showing the user (an "RFA" text), in Swedish and English.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct BankIdMessage {
    /// The recommendation's code, e.g. `RFA9` or `RFA15A`.
    pub rfa: String,
    /// Swedish.
    pub sv: String,
    /// English.
    pub en: String,
}

/// The state of a BankID login, for the browser polling it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct BankIdLoginProgress {
    /// Pending, failed or complete.
    pub status: BankIdLoginStatus,
    /// BankID's hint code, e.g. `outstandingTransaction`, `userSign`, `userCancel`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub hint_code: Option<String>,
    /// What to tell the user (absent once complete).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub message: Option<BankIdMessage>,
    /// The animated QR code's content for this second, while waiting for a scan (QR flow only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub qr_data: Option<String>,
    /// The same QR code as an SVG element, ready to insert into the page.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub qr_svg: Option<String>,
    /// The applicant's token, in the one answer that reports `complete`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub token: Option<TokenResponse>,
}
