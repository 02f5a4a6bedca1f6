//! The one error shape of the API.

use serde::{Deserialize, Serialize};

use crate::validate::FieldError;

/// The one error shape of the API.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct ApiError {
    /// What went wrong, in words a user understands.
    pub message: String,
    /// A stable machine-readable code, e.g. `validation_failed`; the
    /// `ErrorCode` schema lists every code with the HTTP status it comes with.
    #[cfg_attr(feature = "server", schema(value_type = crate::error_code::ErrorCode))]
    pub code: String,
    /// The class of error.
    #[serde(rename = "type")]
    #[cfg_attr(feature = "server", schema(value_type = crate::error_code::ErrorType))]
    pub error_type: String,
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

/// One problem with one setting of a request body.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct SettingProblem {
    /// The setting, by its name in the body (`name`, `handler_mailbox`, `signing`, …).
    pub field: String,
    /// What is wrong, as a stable code (`invalid_email`, `missing_text`, …).
    #[cfg_attr(feature = "server", schema(value_type = crate::error_code::ErrorCode))]
    pub code: String,
    /// What is wrong, in plain words.
    pub message: String,
}
