//! The API's one error type and its JSON shape (`shared::api::ApiError`):
//! `{message, code, type, errors?}`. 4xx bodies say what is wrong in plain
//! words; 5xx bodies reveal nothing internal, the cause goes to the log.

use actix_web::http::StatusCode;
use actix_web::{HttpResponse, ResponseError};
use shared::FieldError;
use shared::api::{ApiError, SettingProblem};

/// Everything a handler can fail with.
#[derive(Debug, thiserror::Error)]
pub enum AppError {
    /// Answers failed validation (422 `validation_failed`).
    #[error("the answers are not valid")]
    Validation(Vec<FieldError>),
    /// The request is malformed (400).
    #[error("{message}")]
    BadRequest {
        /// Stable code.
        code: &'static str,
        /// Plain words.
        message: String,
    },
    /// The request is well formed but cannot be carried out (422).
    #[error("{message}")]
    Unprocessable {
        /// Stable code.
        code: &'static str,
        /// Plain words.
        message: String,
    },
    /// Several settings of a request body are not valid (422): every problem at once, each
    /// naming its setting. One problem keeps its own code; several are `invalid_settings`.
    #[error("{}", invalid_message(.0))]
    Invalid(Vec<Problem>),
    /// No or bad credentials (401).
    #[error("{message}")]
    Unauthenticated {
        /// Stable code.
        code: &'static str,
        /// Plain words.
        message: String,
    },
    /// Credentials fine, permission missing (403 `forbidden`).
    #[error("{0}")]
    Forbidden(String),
    /// Nothing there, or nothing the caller may see (404 `not_found`).
    #[error("{0}")]
    NotFound(String),
    /// The path exists, but not with this method (405 `method_not_allowed`).
    #[error("{0}")]
    MethodNotAllowed(String),
    /// Conflicts with the current state (409).
    #[error("{message}")]
    Conflict {
        /// Stable code.
        code: &'static str,
        /// Plain words.
        message: String,
    },
    /// The body is not in a media type the operation takes (415 `unsupported_media_type`).
    #[error("{0}")]
    UnsupportedMediaType(String),
    /// The body is larger than allowed (413 `payload_too_large`).
    #[error("the request body is larger than {0} bytes")]
    PayloadTooLarge(usize),
    /// Too many requests of this kind right now (429 `too_many_requests`, with `Retry-After`).
    #[error("{message}")]
    TooManyRequests {
        /// Plain words.
        message: String,
        /// Seconds to wait before trying again.
        retry_after: u32,
    },
    /// A dependency is unavailable (503 `unavailable`, with `Retry-After`): the
    /// database is down, full or read-only, or the file store refuses. Nothing
    /// of the request was kept; the same request may be sent again later.
    #[error("The service is temporarily unavailable. Nothing was saved; please try again in a moment.")]
    Unavailable,
    /// The file store is full (507 `insufficient_storage`); nothing was kept.
    #[error("There is no room to store the file right now. Nothing was saved; please try again later.")]
    InsufficientStorage,
    /// Anything else (500 `internal`); the cause is logged, never sent.
    #[error("internal error: {0}")]
    Internal(String),
}

impl AppError {
    /// A 400 with a code and message.
    pub fn bad_request(code: &'static str, message: impl Into<String>) -> Self {
        Self::BadRequest { code, message: message.into() }
    }
    /// A 422 with a code and message.
    pub fn unprocessable(code: &'static str, message: impl Into<String>) -> Self {
        Self::Unprocessable { code, message: message.into() }
    }
    /// A 409 with a code and message.
    pub fn conflict(code: &'static str, message: impl Into<String>) -> Self {
        Self::Conflict { code, message: message.into() }
    }
    /// A 401 with a code and message.
    pub fn unauthenticated(code: &'static str, message: impl Into<String>) -> Self {
        Self::Unauthenticated { code, message: message.into() }
    }
    /// Wraps an internal failure; the text goes only to the log.
    pub fn internal(e: impl std::fmt::Display) -> Self {
        Self::Internal(e.to_string())
    }

    fn parts(&self) -> (StatusCode, &'static str, &'static str) {
        match self {
            AppError::Validation(_) => (StatusCode::UNPROCESSABLE_ENTITY, "validation_failed", "invalid_request"),
            AppError::BadRequest { code, .. } => (StatusCode::BAD_REQUEST, code, "invalid_request"),
            AppError::Unprocessable { code, .. } => (StatusCode::UNPROCESSABLE_ENTITY, code, "invalid_request"),
            AppError::Invalid(problems) => match problems.as_slice() {
                [one] => (StatusCode::UNPROCESSABLE_ENTITY, one.code, "invalid_request"),
                _ => (StatusCode::UNPROCESSABLE_ENTITY, "invalid_settings", "invalid_request"),
            },
            AppError::Unauthenticated { code, .. } => (StatusCode::UNAUTHORIZED, code, "auth"),
            AppError::Forbidden(_) => (StatusCode::FORBIDDEN, "forbidden", "auth"),
            AppError::NotFound(_) => (StatusCode::NOT_FOUND, "not_found", "not_found"),
            AppError::MethodNotAllowed(_) => (StatusCode::METHOD_NOT_ALLOWED, "method_not_allowed", "invalid_request"),
            AppError::Conflict { code, .. } => (StatusCode::CONFLICT, code, "conflict"),
            AppError::PayloadTooLarge(_) => (StatusCode::PAYLOAD_TOO_LARGE, "payload_too_large", "invalid_request"),
            AppError::UnsupportedMediaType(_) => {
                (StatusCode::UNSUPPORTED_MEDIA_TYPE, "unsupported_media_type", "invalid_request")
            }
            AppError::TooManyRequests { .. } => (StatusCode::TOO_MANY_REQUESTS, "too_many_requests", "rate_limit"),
            AppError::Unavailable => (StatusCode::SERVICE_UNAVAILABLE, "unavailable", "internal"),
            AppError::InsufficientStorage => (StatusCode::INSUFFICIENT_STORAGE, "insufficient_storage", "internal"),
            AppError::Internal(_) => (StatusCode::INTERNAL_SERVER_ERROR, "internal", "internal"),
        }
    }

    /// The JSON body.
    pub fn body(&self) -> ApiError {
        let (_, code, error_type) = self.parts();
        let message = match self {
            AppError::Internal(_) => "Something went wrong on our side. Please try again later.".to_string(),
            other => other.to_string(),
        };
        let errors = match self {
            AppError::Validation(errors) => errors.clone(),
            _ => Vec::new(),
        };
        let problems = match self {
            AppError::Invalid(problems) => problems
                .iter()
                .map(|p| SettingProblem {
                    field: p.field.clone(),
                    code: p.code.to_string(),
                    message: p.message.clone(),
                })
                .collect(),
            _ => Vec::new(),
        };
        ApiError { message, code: code.to_string(), error_type: error_type.to_string(), errors, problems }
    }

    /// This error as one problem with the setting `field`, to be reported with the others.
    pub fn problem(&self, field: &str) -> Problem {
        Problem { field: field.to_string(), code: self.parts().1, message: self.body().message }
    }
}

/// One problem with one setting (see [`AppError::Invalid`]).
#[derive(Debug, Clone)]
pub struct Problem {
    /// The setting's name in the body.
    pub field: String,
    /// Its stable code.
    pub code: &'static str,
    /// Plain words.
    pub message: String,
}

/// Collects the problems of a request body's settings, so that all are reported at once.
#[derive(Debug, Default)]
pub struct Problems(Vec<Problem>);

impl Problems {
    /// The value of a check of the setting `field`, or `None` with its problem noted.
    pub fn check<T>(&mut self, field: &str, result: Result<T, AppError>) -> Option<T> {
        match result {
            Ok(v) => Some(v),
            Err(e) => {
                self.0.push(e.problem(field));
                None
            }
        }
    }

    /// Notes a problem with the setting `field`.
    pub fn add(&mut self, field: &str, error: AppError) {
        self.0.push(error.problem(field));
    }

    /// `Ok` when nothing was noted, else every problem in one 422.
    pub fn finish(self) -> Result<(), AppError> {
        if self.0.is_empty() { Ok(()) } else { Err(AppError::Invalid(self.0)) }
    }
}

fn invalid_message(problems: &[Problem]) -> String {
    match problems {
        [one] => one.message.clone(),
        many => format!(
            "{} settings are not valid: {}",
            many.len(),
            many.iter().map(|p| format!("{}: {}", p.field, p.message)).collect::<Vec<_>>().join(" ")
        ),
    }
}

impl ResponseError for AppError {
    fn status_code(&self) -> StatusCode {
        self.parts().0
    }

    fn error_response(&self) -> HttpResponse {
        if let AppError::Internal(cause) = self {
            tracing::error!(error.cause = %cause, "request failed");
        }
        let mut resp = HttpResponse::build(self.status_code());
        if matches!(self, AppError::Unauthenticated { .. }) {
            resp.insert_header(("WWW-Authenticate", "Bearer"));
        }
        match self {
            AppError::Unavailable | AppError::InsufficientStorage => {
                resp.insert_header(("Retry-After", RETRY_AFTER_SECONDS.to_string()));
            }
            AppError::TooManyRequests { retry_after, .. } => {
                resp.insert_header(("Retry-After", retry_after.to_string()));
            }
            _ => {}
        }
        resp.json(self.body())
    }
}

/// How long a client is asked to wait after a 503 or 507 (`Retry-After`).
pub const RETRY_AFTER_SECONDS: u32 = 5;

impl From<crate::db::DbErr> for AppError {
    fn from(e: crate::db::DbErr) -> Self {
        if crate::db::is_unavailable(&e) {
            tracing::warn!(error.cause = %e, "the database cannot serve the request");
            AppError::Unavailable
        } else {
            AppError::Internal(format!("database: {e}"))
        }
    }
}

/// Turns actix's JSON extractor errors into our error shape.
pub fn json_error(err: actix_web::error::JsonPayloadError, _req: &actix_web::HttpRequest) -> actix_web::Error {
    use actix_web::error::JsonPayloadError as J;
    let app = match &err {
        J::OverflowKnownLength { limit, .. } | J::Overflow { limit } => AppError::PayloadTooLarge(*limit),
        J::ContentType => AppError::UnsupportedMediaType(
            "This operation takes a JSON body: send it with the header Content-Type: application/json.".into(),
        ),
        J::Deserialize(e) => AppError::bad_request("invalid_json", format!("The JSON body is not valid: {e}.")),
        other => AppError::bad_request("invalid_json", format!("The JSON body could not be read: {other}.")),
    };
    app.into()
}

/// Turns query-string errors into our error shape.
pub fn query_error(err: actix_web::error::QueryPayloadError, _req: &actix_web::HttpRequest) -> actix_web::Error {
    AppError::bad_request("invalid_query", format!("The query string is not valid: {err}.")).into()
}

/// Turns path errors into our error shape.
pub fn path_error(err: actix_web::error::PathError, _req: &actix_web::HttpRequest) -> actix_web::Error {
    AppError::bad_request("invalid_path", format!("The address is not valid: {err}.")).into()
}
