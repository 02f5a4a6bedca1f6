//! The BankID Relying Party API v6.0 client: `auth`, `sign`, `collect` and
//! `cancel` over mutual TLS. The TLS configuration comes from
//! [`crate::eid::tls`] (rustls with `ring`): the relying party's client
//! certificate and the pinned BankID server CA, never the system roots.
//!
//! Error answers are typed ([`BankIdError::Api`] with an [`ErrorCode`]); the
//! client never retries `auth` or `sign` by itself (a retry could start a
//! second order); what to tell the user is in [`super::messages`].

use std::net::IpAddr;
use std::time::Duration;

use base64::Engine;
use base64::engine::general_purpose::STANDARD as BASE64;
use serde::{Deserialize, Serialize};

/// Why a call to the RP API failed.
#[derive(Debug, thiserror::Error)]
pub enum BankIdError {
    /// BankID answered with an error (`{errorCode, details}`).
    #[error("BankID answered {status} {code}: {details}")]
    Api {
        /// The HTTP status.
        status: u16,
        /// The error code.
        code: ErrorCode,
        /// BankID's details (for the log; not for users).
        details: String,
    },
    /// The request did not reach BankID or no answer came (network, TLS, timeout).
    #[error("cannot reach BankID: {0}")]
    Transport(String),
    /// The answer was not what the API specifies.
    #[error("unexpected answer from BankID: {0}")]
    Decode(String),
    /// The client could not be set up.
    #[error("BankID client: {0}")]
    Setup(String),
}

impl BankIdError {
    /// The error code when BankID answered with one.
    pub fn code(&self) -> Option<&ErrorCode> {
        match self {
            BankIdError::Api { code, .. } => Some(code),
            _ => None,
        }
    }

    /// True for errors that may go away when the user tries again later
    /// (`maintenance`, `internalError`, `requestTimeout`, network trouble).
    pub fn is_temporary(&self) -> bool {
        match self {
            BankIdError::Api { code, .. } => {
                matches!(code, ErrorCode::Maintenance | ErrorCode::InternalError | ErrorCode::RequestTimeout)
            }
            BankIdError::Transport(_) => true,
            BankIdError::Decode(_) | BankIdError::Setup(_) => false,
        }
    }
}

/// The `errorCode` of an error answer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ErrorCode {
    /// 400: an order for this user is already in progress; no new order was made.
    AlreadyInProgress,
    /// 400: a parameter is missing or wrong (also: no such order).
    InvalidParameters,
    /// 401: the relying party is not allowed to use the API.
    Unauthorized,
    /// 403: the relying party lacks access to what it asked for.
    Forbidden,
    /// 404: no such endpoint.
    NotFound,
    /// 405: wrong method.
    MethodNotAllowed,
    /// 408: the request took too long to arrive.
    RequestTimeout,
    /// 415: not JSON.
    UnsupportedMediaType,
    /// 500: an internal error at BankID.
    InternalError,
    /// 503: BankID is down for maintenance.
    Maintenance,
    /// A code this client does not know (kept verbatim).
    Other(String),
}

impl ErrorCode {
    /// Parses an `errorCode`.
    pub fn parse(code: &str) -> Self {
        match code {
            "alreadyInProgress" => Self::AlreadyInProgress,
            "invalidParameters" => Self::InvalidParameters,
            "unauthorized" => Self::Unauthorized,
            "forbidden" => Self::Forbidden,
            "notFound" => Self::NotFound,
            "methodNotAllowed" => Self::MethodNotAllowed,
            "requestTimeout" => Self::RequestTimeout,
            "unsupportedMediaType" => Self::UnsupportedMediaType,
            "internalError" => Self::InternalError,
            "maintenance" => Self::Maintenance,
            other => Self::Other(other.to_string()),
        }
    }

    /// The code BankID uses for an HTTP status, when the body names none.
    pub fn for_status(status: u16) -> Self {
        match status {
            400 => Self::InvalidParameters,
            401 => Self::Unauthorized,
            403 => Self::Forbidden,
            404 => Self::NotFound,
            405 => Self::MethodNotAllowed,
            408 => Self::RequestTimeout,
            415 => Self::UnsupportedMediaType,
            503 => Self::Maintenance,
            _ => Self::InternalError,
        }
    }

    /// The `errorCode` string.
    pub fn as_str(&self) -> &str {
        match self {
            Self::AlreadyInProgress => "alreadyInProgress",
            Self::InvalidParameters => "invalidParameters",
            Self::Unauthorized => "unauthorized",
            Self::Forbidden => "forbidden",
            Self::NotFound => "notFound",
            Self::MethodNotAllowed => "methodNotAllowed",
            Self::RequestTimeout => "requestTimeout",
            Self::UnsupportedMediaType => "unsupportedMediaType",
            Self::InternalError => "internalError",
            Self::Maintenance => "maintenance",
            Self::Other(s) => s,
        }
    }

    /// The HTTP status BankID answers this code with.
    pub fn http_status(&self) -> u16 {
        match self {
            Self::AlreadyInProgress | Self::InvalidParameters | Self::Other(_) => 400,
            Self::Unauthorized => 401,
            Self::Forbidden => 403,
            Self::NotFound => 404,
            Self::MethodNotAllowed => 405,
            Self::RequestTimeout => 408,
            Self::UnsupportedMediaType => 415,
            Self::InternalError => 500,
            Self::Maintenance => 503,
        }
    }
}

impl std::fmt::Display for ErrorCode {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The body of an error answer.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ErrorBody {
    /// The code.
    pub error_code: String,
    /// Free text.
    #[serde(default)]
    pub details: String,
}

/// Requirements on the user and the BankID (`requirement`).
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Requirement {
    /// Only the holder of this personal number (12 digits) can complete the order.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub personal_number: Option<String>,
    /// Require the security code (not biometrics) when `true`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub pin_code: Option<bool>,
    /// Certificate policies the BankID must have.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub certificate_policies: Option<Vec<String>>,
}

impl Requirement {
    fn is_empty(&self) -> bool {
        self.personal_number.is_none() && self.pin_code.is_none() && self.certificate_policies.is_none()
    }
}

/// The body of `/auth`.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct AuthRequest {
    /// The user's IP address as seen by the relying party (required).
    pub end_user_ip: String,
    /// Where the BankID app returns after a same-device start.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub return_url: Option<String>,
    /// Requirements.
    #[serde(default, skip_serializing_if = "Requirement::is_empty")]
    pub requirement: Requirement,
    /// Text shown in the app, base64.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub user_visible_data: Option<String>,
    /// `simpleMarkdownV1` or absent (plain text).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub user_visible_data_format: Option<String>,
    /// Data not shown to the user, base64.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub user_non_visible_data: Option<String>,
}

impl AuthRequest {
    /// An identification for the user at `end_user_ip`.
    pub fn new(end_user_ip: IpAddr) -> Self {
        Self {
            end_user_ip: end_user_ip.to_string(),
            return_url: None,
            requirement: Requirement::default(),
            user_visible_data: None,
            user_visible_data_format: None,
            user_non_visible_data: None,
        }
    }
}

/// The body of `/sign`.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SignRequest {
    /// The user's IP address as seen by the relying party (required).
    pub end_user_ip: String,
    /// The text to sign, shown in the app, base64 (required).
    pub user_visible_data: String,
    /// `simpleMarkdownV1` or absent (plain text).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub user_visible_data_format: Option<String>,
    /// Data signed but not shown, base64 (e.g. a document digest).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub user_non_visible_data: Option<String>,
    /// Requirements; `personalNumber` binds the signer.
    #[serde(default, skip_serializing_if = "Requirement::is_empty")]
    pub requirement: Requirement,
    /// Where the BankID app returns after a same-device start.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub return_url: Option<String>,
}

impl SignRequest {
    /// A signature of `text` (simple Markdown, shown in the app) and the
    /// invisible `non_visible` bytes, which only `personnummer` (12 digits) may sign.
    pub fn new(end_user_ip: IpAddr, text: &str, non_visible: Option<&[u8]>, personnummer: Option<String>) -> Self {
        Self {
            end_user_ip: end_user_ip.to_string(),
            user_visible_data: BASE64.encode(text.as_bytes()),
            user_visible_data_format: Some("simpleMarkdownV1".into()),
            user_non_visible_data: non_visible.map(|b| BASE64.encode(b)),
            requirement: Requirement { personal_number: personnummer, ..Requirement::default() },
            return_url: None,
        }
    }
}

/// The `qrStartSecret`: kept on the server, never printed.
#[derive(Clone, Deserialize, Serialize)]
#[serde(transparent)]
pub struct QrStartSecret(String);

impl QrStartSecret {
    /// The secret, for computing QR codes.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl From<String> for QrStartSecret {
    fn from(s: String) -> Self {
        Self(s)
    }
}

impl std::fmt::Debug for QrStartSecret {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("QrStartSecret([redacted])")
    }
}

/// The answer to `/auth` and `/sign`.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct OrderResponse {
    /// The order, for `collect` and `cancel`.
    pub order_ref: String,
    /// Starts the app on the same device.
    pub auto_start_token: String,
    /// The public part of the animated QR code.
    pub qr_start_token: String,
    /// The key of the QR code's HMAC.
    pub qr_start_secret: QrStartSecret,
}

/// `pending`, `failed` or `complete`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum CollectStatus {
    /// Still going on; see the hint code.
    Pending,
    /// Ended without a result; see the hint code.
    Failed,
    /// Done; see the completion data.
    Complete,
}

/// The answer to `/collect`.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CollectResponse {
    /// The order.
    pub order_ref: String,
    /// The state.
    pub status: CollectStatus,
    /// Why it is pending or failed; unknown codes are kept verbatim.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub hint_code: Option<String>,
    /// Present when complete.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub completion_data: Option<CompletionData>,
}

/// The result of a completed order.
#[derive(Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CompletionData {
    /// Who identified or signed.
    pub user: User,
    /// The device.
    pub device: Device,
    /// When the BankID was issued (`YYYY-MM-DD`).
    #[serde(default)]
    pub bank_id_issue_date: String,
    /// The signature (base64 of an XML signature).
    pub signature: String,
    /// The OCSP response proving the certificate was valid (base64).
    pub ocsp_response: String,
}

impl std::fmt::Debug for CompletionData {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("CompletionData").field("user", &self.user).finish_non_exhaustive()
    }
}

/// The user of a completed order.
#[derive(Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct User {
    /// 12 digits.
    pub personal_number: String,
    /// Full name.
    pub name: String,
    /// Given name.
    pub given_name: String,
    /// Surname.
    pub surname: String,
}

impl std::fmt::Debug for User {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("User { [personal data redacted] }")
    }
}

/// The device of a completed order.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Device {
    /// The IP address the app used.
    pub ip_address: String,
    /// A unique hardware identifier, when given.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub uhi: Option<String>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct OrderRefBody<'a> {
    order_ref: &'a str,
}

/// A client of one RP API endpoint (production, test or simulator).
#[derive(Clone)]
pub struct BankIdClient {
    http: reqwest::Client,
    base: reqwest::Url,
}

impl std::fmt::Debug for BankIdClient {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("BankIdClient").field("base", &self.base.as_str()).finish()
    }
}

impl BankIdClient {
    /// A client of `base_url` (ending in `/rp/v6.0/`) using `tls` (client
    /// certificate and pinned server CA).
    pub fn new(base_url: &str, tls: rustls::ClientConfig) -> Result<Self, BankIdError> {
        let mut base = reqwest::Url::parse(base_url).map_err(|e| BankIdError::Setup(format!("url: {e}")))?;
        if base.scheme() != "https" {
            return Err(BankIdError::Setup("the BankID URL must be https".into()));
        }
        if !base.path().ends_with('/') {
            base.set_path(&format!("{}/", base.path()));
        }
        // Idle pooled connections are dropped after 2 s, before a server's keep-alive
        // (actix: 5 s) closes them under a request ("connection closed before message completed").
        let http = reqwest::Client::builder()
            .pool_idle_timeout(Duration::from_secs(2))
            .tls_backend_preconfigured(tls)
            .connect_timeout(Duration::from_secs(5))
            .timeout(Duration::from_secs(15))
            .https_only(true)
            .build()
            .map_err(|e| BankIdError::Setup(e.to_string()))?;
        Ok(Self { http, base })
    }

    /// The base URL.
    pub fn base_url(&self) -> &str {
        self.base.as_str()
    }

    /// Starts an identification.
    pub async fn auth(&self, request: &AuthRequest) -> Result<OrderResponse, BankIdError> {
        self.call("auth", request).await
    }

    /// Starts a signature.
    pub async fn sign(&self, request: &SignRequest) -> Result<OrderResponse, BankIdError> {
        self.call("sign", request).await
    }

    /// The state of an order. Call about every two seconds while pending.
    pub async fn collect(&self, order_ref: &str) -> Result<CollectResponse, BankIdError> {
        self.call("collect", &OrderRefBody { order_ref }).await
    }

    /// Cancels a pending order.
    pub async fn cancel(&self, order_ref: &str) -> Result<(), BankIdError> {
        let _: serde_json::Value = self.call("cancel", &OrderRefBody { order_ref }).await?;
        Ok(())
    }

    async fn call<B: Serialize, T: serde::de::DeserializeOwned>(
        &self,
        method: &str,
        body: &B,
    ) -> Result<T, BankIdError> {
        let url = self.base.join(method).map_err(|e| BankIdError::Setup(e.to_string()))?;
        let response = self.http.post(url).json(body).send().await.map_err(|e| {
            // reqwest's Display hides the cause (e.g. the TLS alert); keep the chain for the log.
            let mut text = e.to_string();
            let mut source = std::error::Error::source(&e);
            while let Some(s) = source {
                text.push_str(": ");
                text.push_str(&s.to_string());
                source = s.source();
            }
            BankIdError::Transport(text)
        })?;
        let status = response.status();
        let bytes = response.bytes().await.map_err(|e| BankIdError::Transport(e.to_string()))?;
        if status.is_success() {
            return serde_json::from_slice(&bytes).map_err(|e| BankIdError::Decode(format!("{method}: {e}")));
        }
        let (code, details) = match serde_json::from_slice::<ErrorBody>(&bytes) {
            Ok(body) => (ErrorCode::parse(&body.error_code), body.details),
            Err(_) => (ErrorCode::for_status(status.as_u16()), String::new()),
        };
        Err(BankIdError::Api { status: status.as_u16(), code, details })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_sign_request_encodes_the_text_as_base64_simple_markdown_and_binds_the_signer() {
        let req = SignRequest::new(
            IpAddr::from([127, 0, 0, 1]),
            "# Ansökan\nJag intygar.",
            Some(b"digest"),
            Some("189001019802".into()),
        );
        let json = serde_json::to_value(&req).unwrap();
        assert_eq!(json["endUserIp"], "127.0.0.1");
        assert_eq!(json["userVisibleDataFormat"], "simpleMarkdownV1");
        assert_eq!(
            BASE64.decode(json["userVisibleData"].as_str().unwrap()).unwrap(),
            "# Ansökan\nJag intygar.".as_bytes()
        );
        assert_eq!(json["userNonVisibleData"], BASE64.encode(b"digest"));
        assert_eq!(json["requirement"]["personalNumber"], "189001019802");
        assert!(json.get("returnUrl").is_none());
    }

    #[test]
    fn an_auth_request_sends_only_the_end_user_ip_by_default() {
        let json = serde_json::to_value(AuthRequest::new(IpAddr::from([10, 0, 0, 7]))).unwrap();
        assert_eq!(json, serde_json::json!({"endUserIp": "10.0.0.7"}));
    }

    #[test]
    fn a_collect_answer_with_an_unknown_hint_code_is_accepted() {
        let r: CollectResponse =
            serde_json::from_str(r#"{"orderRef":"a","status":"pending","hintCode":"somethingNew"}"#).unwrap();
        assert_eq!(r.status, CollectStatus::Pending);
        assert_eq!(r.hint_code.as_deref(), Some("somethingNew"));
    }

    #[test]
    fn completion_data_and_secrets_are_not_printed_in_debug_output() {
        let order: OrderResponse = serde_json::from_str(
            r#"{"orderRef":"o","autoStartToken":"a","qrStartToken":"q","qrStartSecret":"very-secret"}"#,
        )
        .unwrap();
        assert!(!format!("{order:?}").contains("very-secret"));
        let data: CompletionData = serde_json::from_value(serde_json::json!({
            "user": {"personalNumber": "189001019802", "name": "A B", "givenName": "A", "surname": "B"},
            "device": {"ipAddress": "127.0.0.1"},
            "bankIdIssueDate": "2024-01-01",
            "signature": "c2ln",
            "ocspResponse": "b2NzcA=="
        }))
        .unwrap();
        assert!(!format!("{data:?}").contains("189001019802"));
    }

    #[test]
    fn error_codes_round_trip_and_unknown_codes_are_kept() {
        for code in
            ["alreadyInProgress", "invalidParameters", "unauthorized", "notFound", "requestTimeout", "maintenance"]
        {
            assert_eq!(ErrorCode::parse(code).as_str(), code);
        }
        assert_eq!(ErrorCode::parse("teapot"), ErrorCode::Other("teapot".into()));
        assert_eq!(ErrorCode::for_status(503), ErrorCode::Maintenance);
        assert_eq!(ErrorCode::Maintenance.http_status(), 503);
    }
}
