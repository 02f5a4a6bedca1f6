//! The API's one error type and its JSON shape (`shared::api::ApiError`):
//! `{message, code, type, errors?}`. Every code, with its HTTP status and
//! type, is in the one table `shared::error_code::ErrorCode`. 4xx bodies say
//! what is wrong in plain words; 5xx bodies reveal nothing internal, the
//! cause goes to the log.

use actix_web::http::StatusCode;
use actix_web::{HttpResponse, ResponseError};
use shared::FieldError;
use shared::api::{ApiError, SettingProblem};
pub use shared::error_code::ErrorCode;

/// Everything a handler can fail with.
#[derive(Debug, thiserror::Error)]
pub enum AppError {
    /// Answers failed validation (422 `validation_failed`).
    #[error("the answers are not valid")]
    Validation(Vec<FieldError>),
    /// An error with its own code: the code says the status ([`ErrorCode::status`]).
    #[error("{message}")]
    Coded {
        /// Stable code.
        code: ErrorCode,
        /// Plain words.
        message: String,
    },
    /// Several settings of a request body are not valid (422): every problem at once, each
    /// naming its setting. One problem keeps its own code; several are `invalid_settings`.
    #[error("{}", invalid_message(.0))]
    Invalid(Vec<Problem>),
    /// Credentials fine, permission missing (403 `forbidden`).
    #[error("{0}")]
    Forbidden(String),
    /// Nothing there, or nothing the caller may see (404 `not_found`).
    #[error("{0}")]
    NotFound(String),
    /// The path exists, but not with this method (405 `method_not_allowed`).
    #[error("{0}")]
    MethodNotAllowed(String),
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
    /// An error with its code (which says the status) and plain words.
    pub fn new(code: ErrorCode, message: impl Into<String>) -> Self {
        Self::Coded { code, message: message.into() }
    }
    /// Wraps an internal failure; the text goes only to the log.
    pub fn internal(e: impl std::fmt::Display) -> Self {
        Self::Internal(e.to_string())
    }

    /// The error's code (which gives its status and type).
    pub fn code(&self) -> ErrorCode {
        match self {
            AppError::Validation(_) => ErrorCode::ValidationFailed,
            AppError::Coded { code, .. } => *code,
            AppError::Invalid(problems) => match problems.as_slice() {
                [one] => one.code,
                _ => ErrorCode::InvalidSettings,
            },
            AppError::Forbidden(_) => ErrorCode::Forbidden,
            AppError::NotFound(_) => ErrorCode::NotFound,
            AppError::MethodNotAllowed(_) => ErrorCode::MethodNotAllowed,
            AppError::PayloadTooLarge(_) => ErrorCode::PayloadTooLarge,
            AppError::UnsupportedMediaType(_) => ErrorCode::UnsupportedMediaType,
            AppError::TooManyRequests { .. } => ErrorCode::TooManyRequests,
            AppError::Unavailable => ErrorCode::Unavailable,
            AppError::InsufficientStorage => ErrorCode::InsufficientStorage,
            AppError::Internal(_) => ErrorCode::Internal,
        }
    }

    /// The JSON body.
    pub fn body(&self) -> ApiError {
        let code = self.code();
        let message = match self {
            AppError::Internal(_) => "Something went wrong on our side. Please try again later.".to_string(),
            other => other.to_string(),
        };
        let errors = match self {
            AppError::Validation(errors) => errors.clone(),
            _ => Vec::new(),
        };
        let problems = match self {
            AppError::Invalid(problems) => {
                problems.iter().map(|p| SettingProblem::new(p.field.clone(), p.code, p.message.clone())).collect()
            }
            _ => Vec::new(),
        };
        let mut body = ApiError::new(code, message);
        body.errors = errors;
        body.problems = problems;
        body
    }

    /// This error as one problem with the setting `field`, to be reported with the others.
    pub fn problem(&self, field: &str) -> Problem {
        Problem { field: field.to_string(), code: self.code(), message: self.body().message }
    }
}

/// Why a round of a background job (the outbox worker, the signing
/// deadline) failed: logged, and the job tries again at its next round. The
/// jobs' own errors, so no job's signature names the database layer's type.
#[derive(Debug, thiserror::Error)]
pub enum JobError {
    /// The database failed.
    #[error("the database failed: {0}")]
    Database(#[from] crate::db::DbErr),
}

/// One problem with one setting (see [`AppError::Invalid`]).
#[derive(Debug, Clone)]
pub struct Problem {
    /// The setting's name in the body.
    pub field: String,
    /// Its stable code.
    pub code: ErrorCode,
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
        StatusCode::from_u16(self.code().status()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR)
    }

    fn error_response(&self) -> HttpResponse {
        if let AppError::Internal(cause) = self {
            tracing::error!(error.cause = %cause, "request failed");
        }
        let mut resp = HttpResponse::build(self.status_code());
        if self.code().status() == 401 {
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

/// A JSON body that does not read as the operation's body (400 `invalid_json`), saying why.
pub fn invalid_json(e: impl std::fmt::Display) -> AppError {
    AppError::new(ErrorCode::InvalidJson, format!("The JSON body is not valid: {e}."))
}

/// Turns actix's JSON extractor errors into our error shape.
pub fn json_error(err: actix_web::error::JsonPayloadError, _req: &actix_web::HttpRequest) -> actix_web::Error {
    use actix_web::error::JsonPayloadError as J;
    let app = match &err {
        J::OverflowKnownLength { limit, .. } | J::Overflow { limit } => AppError::PayloadTooLarge(*limit),
        J::ContentType => AppError::UnsupportedMediaType(
            "This operation takes a JSON body: send it with the header Content-Type: application/json.".into(),
        ),
        J::Deserialize(e) => invalid_json(e),
        other => AppError::new(ErrorCode::InvalidJson, format!("The JSON body could not be read: {other}.")),
    };
    app.into()
}

/// Turns query-string errors into our error shape.
pub fn query_error(err: actix_web::error::QueryPayloadError, _req: &actix_web::HttpRequest) -> actix_web::Error {
    AppError::new(ErrorCode::InvalidQuery, format!("The query string is not valid: {err}.")).into()
}

/// Turns path errors into our error shape.
pub fn path_error(err: actix_web::error::PathError, _req: &actix_web::HttpRequest) -> actix_web::Error {
    AppError::new(ErrorCode::InvalidPath, format!("The address is not valid: {err}.")).into()
}
