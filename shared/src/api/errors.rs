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
    // Kept as its wire name and set only from an `ErrorCode` (`ApiError::new`): the browser
    // compares it with the few codes it acts on (`ApiError::is`) rather than carrying the whole
    // table to read it.
    #[cfg_attr(feature = "server", schema(value_type = ErrorCode))]
    code: String,
    /// The class of error.
    // The code gives it (`ApiError::error_type`). The browser apps never look at it, so their
    // build (without the `server` feature) does not read it and carries no decoder for it.
    #[serde(rename = "type")]
    #[cfg_attr(not(feature = "server"), serde(skip_deserializing, default))]
    kind: ErrorType,
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
        Self {
            message: message.into(),
            code: code.as_str().to_owned(),
            kind: code.error_type(),
            errors: Vec::new(),
            problems: Vec::new(),
        }
    }

    /// Whether the error's code is `code`. Inlined, so that a comparison with a constant code
    /// keeps only that code's name in a build.
    #[inline(always)]
    pub fn is(&self, code: ErrorCode) -> bool {
        self.code == code.as_str()
    }

    /// The code's wire name, e.g. `validation_failed`.
    pub fn code_name(&self) -> &str {
        &self.code
    }

    /// The class of error: the code's.
    pub fn error_type(&self) -> ErrorType {
        self.code().error_type()
    }

    /// The code, from the whole table (`Other` for one this build does not know). The
    /// browser apps use [`ApiError::is`] instead, which keeps the table out of their download.
    pub fn code(&self) -> ErrorCode {
        ErrorCode::parse(&self.code)
    }
}

/// One problem with one setting of a request body.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct SettingProblem {
    /// The setting, by its name in the body (`name`, `handler_mailbox`, `signing`, …).
    pub field: String,
    /// What is wrong, as a stable code (`invalid_email`, `missing_text`, …).
    // Set only from an `ErrorCode` (`SettingProblem::new`), as `ApiError`'s code is.
    #[cfg_attr(feature = "server", schema(value_type = ErrorCode))]
    code: String,
    /// What is wrong, in plain words.
    pub message: String,
}

impl SettingProblem {
    /// The problem `code` with the setting `field`, in plain words.
    pub fn new(field: impl Into<String>, code: ErrorCode, message: impl Into<String>) -> Self {
        Self { field: field.into(), code: code.as_str().to_owned(), message: message.into() }
    }

    /// The code, from the whole table.
    pub fn code(&self) -> ErrorCode {
        ErrorCode::parse(&self.code)
    }
}
