//! The one error shape of the API.

use serde::{Deserialize, Serialize};

use crate::error_code::{ErrorCode, ErrorType};
use crate::validate::FieldError;

/// The one error shape of the API.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct ApiError {
    /// What went wrong, in words a user understands.
    pub message: String,
    /// A stable machine-readable code, e.g. `validation_failed`; the
    /// `ErrorCode` schema lists every code with the HTTP status it comes with.
    pub code: ErrorCode,
    /// The class of error.
    #[serde(rename = "type")]
    pub error_type: ErrorType,
    /// Per-field problems, for `validation_failed`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub errors: Vec<FieldError>,
    /// Every problem with the settings in a request body (a service's settings), each naming
    /// its setting: all of them at once, so that one correction fixes them all. The top-level
    /// `code` and `message` are the single problem's when there is one, `invalid_settings` when
    /// there are several.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub problems: Vec<SettingProblem>,
}

impl ApiError {
    /// An error with its code (which gives its type) and plain words.
    pub fn new(code: ErrorCode, message: impl Into<String>) -> Self {
        Self { message: message.into(), code, error_type: code.error_type(), errors: Vec::new(), problems: Vec::new() }
    }
}

/// One problem with one setting of a request body.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct SettingProblem {
    /// The setting, by its name in the body (`name`, `handler_mailbox`, `signing`, …).
    pub field: String,
    /// What is wrong, as a stable code (`invalid_email`, `missing_text`, …).
    pub code: ErrorCode,
    /// What is wrong, in plain words.
    pub message: String,
}
