//! The API's error codes, each once with its HTTP status and error type: the
//! one table every error the server sends is made from (`ApiError.code`),
//! the OpenAPI document lists (an enum, with the statuses in its
//! description), and the browser apps match on. A code the table does not
//! have cannot be sent: it does not compile.

use serde::{Deserialize, Serialize};

/// The broad kind of an error (`ApiError.type`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum ErrorType {
    /// The request is malformed or cannot be carried out as it is (400, 405, 413, 415, 422).
    InvalidRequest,
    /// Not logged in, or not allowed (401, 403).
    Auth,
    /// Nothing there, or nothing the caller may see (404).
    NotFound,
    /// It conflicts with the current state (409), or with a newer save (412).
    Conflict,
    /// Too many requests (429).
    RateLimit,
    /// On the server's side (5xx).
    #[default]
    Internal,
}

impl ErrorType {
    /// The wire name, e.g. `invalid_request`.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::InvalidRequest => "invalid_request",
            Self::Auth => "auth",
            Self::NotFound => "not_found",
            Self::Conflict => "conflict",
            Self::RateLimit => "rate_limit",
            Self::Internal => "internal",
        }
    }
}

macro_rules! error_codes {
    ($($variant:ident = $code:literal, $status:literal, $kind:ident;)+) => {
        /// A stable, machine-readable error code (`ApiError.code`), on the
        /// wire as its name ([`ErrorCode::as_str`]). A code the browser does
        /// not know (from a newer server) reads as `Other`.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub enum ErrorCode {
            $(
                #[doc = concat!("`", $code, "` (", stringify!($status), ").")]
                $variant,
            )+
            /// A code this build does not know; never sent by this server.
            Other,
        }

        impl ErrorCode {
            /// Every code the server sends, in the order of the table.
            pub const ALL: &'static [ErrorCode] = &[$(Self::$variant),+];

            /// The wire name, e.g. `status_changed_meanwhile`. Always inlined, so that
            /// comparing with a constant code keeps only that code's name in a build.
            #[inline(always)]
            pub fn as_str(self) -> &'static str {
                match self {
                    $(Self::$variant => $code,)+
                    Self::Other => "other",
                }
            }

            /// The HTTP status the code is sent with.
            pub fn status(self) -> u16 {
                match self {
                    $(Self::$variant => $status,)+
                    Self::Other => 500,
                }
            }

            /// Its error type.
            pub fn error_type(self) -> ErrorType {
                match self {
                    $(Self::$variant => ErrorType::$kind,)+
                    Self::Other => ErrorType::Internal,
                }
            }
        }
    };
}

error_codes! {
    EmptyFile = "empty_file", 400, InvalidRequest;
    InvalidContentType = "invalid_content_type", 400, InvalidRequest;
    InvalidCursor = "invalid_cursor", 400, InvalidRequest;
    InvalidDate = "invalid_date", 400, InvalidRequest;
    InvalidFileName = "invalid_file_name", 400, InvalidRequest;
    InvalidFilter = "invalid_filter", 400, InvalidRequest;
    InvalidIdempotencyKey = "invalid_idempotency_key", 400, InvalidRequest;
    InvalidJson = "invalid_json", 400, InvalidRequest;
    InvalidLimit = "invalid_limit", 400, InvalidRequest;
    InvalidPath = "invalid_path", 400, InvalidRequest;
    InvalidQuery = "invalid_query", 400, InvalidRequest;
    InvalidSort = "invalid_sort", 400, InvalidRequest;
    InvalidUploadToken = "invalid_upload_token", 400, InvalidRequest;
    NulCharacter = "nul_character", 400, InvalidRequest;
    PersonnummerInUrl = "personnummer_in_url", 400, InvalidRequest;
    UploadInterrupted = "upload_interrupted", 400, InvalidRequest;
    EidRequired = "eid_required", 401, Auth;
    InvalidCredentials = "invalid_credentials", 401, Auth;
    InvalidTicket = "invalid_ticket", 401, Auth;
    InvalidToken = "invalid_token", 401, Auth;
    MissingCaseLink = "missing_case_link", 401, Auth;
    SessionEnded = "session_ended", 401, Auth;
    TokenExpired = "token_expired", 401, Auth;
    Unauthenticated = "unauthenticated", 401, Auth;
    Forbidden = "forbidden", 403, Auth;
    NotFound = "not_found", 404, NotFound;
    MethodNotAllowed = "method_not_allowed", 405, InvalidRequest;
    AlreadyAwaitingSupplement = "already_awaiting_supplement", 409, Conflict;
    AlreadySubmitted = "already_submitted", 409, Conflict;
    AnswersChanged = "answers_changed", 409, Conflict;
    ApplicantUnreachable = "applicant_unreachable", 409, Conflict;
    BankidAlreadyInProgress = "bankid_already_in_progress", 409, Conflict;
    CaseClosed = "case_closed", 409, Conflict;
    CoSigningUnavailable = "co_signing_unavailable", 409, Conflict;
    FormVersionOutdated = "form_version_outdated", 409, Conflict;
    FormVersionPublished = "form_version_published", 409, Conflict;
    IdempotencyKeyReused = "idempotency_key_reused", 409, Conflict;
    MessagingClosed = "messaging_closed", 409, Conflict;
    NoFollowLink = "no_follow_link", 409, Conflict;
    NoSupplementStatus = "no_supplement_status", 409, Conflict;
    NotDead = "not_dead", 409, Conflict;
    RequestNotPending = "request_not_pending", 409, Conflict;
    RetentionRunInProgress = "retention_run_in_progress", 409, Conflict;
    ServiceUnpublished = "service_unpublished", 409, Conflict;
    ServiceWasPublished = "service_was_published", 409, Conflict;
    SignatureRequired = "signature_required", 409, Conflict;
    SigningNotRequired = "signing_not_required", 409, Conflict;
    SlugTaken = "slug_taken", 409, Conflict;
    StatusChangedMeanwhile = "status_changed_meanwhile", 409, Conflict;
    StatusUnchanged = "status_unchanged", 409, Conflict;
    SupplementClosed = "supplement_closed", 409, Conflict;
    UsernameTaken = "username_taken", 409, Conflict;
    EditConflict = "edit_conflict", 412, Conflict;
    PayloadTooLarge = "payload_too_large", 413, InvalidRequest;
    UnsupportedMediaType = "unsupported_media_type", 415, InvalidRequest;
    AsOfNotAllowed = "as_of_not_allowed", 422, InvalidRequest;
    AttachmentsNotSupported = "attachments_not_supported", 422, InvalidRequest;
    ChildNotInRegister = "child_not_in_register", 422, InvalidRequest;
    CoSignerRequired = "co_signer_required", 422, InvalidRequest;
    CommentTooLong = "comment_too_long", 422, InvalidRequest;
    DuplicateAttachment = "duplicate_attachment", 422, InvalidRequest;
    EmptyText = "empty_text", 422, InvalidRequest;
    FieldNotRequested = "field_not_requested", 422, InvalidRequest;
    FileSupplementUnsupported = "file_supplement_unsupported", 422, InvalidRequest;
    InvalidAssignee = "invalid_assignee", 422, InvalidRequest;
    InvalidCoSigner = "invalid_co_signer", 422, InvalidRequest;
    InvalidDefinition = "invalid_definition", 422, InvalidRequest;
    InvalidEmail = "invalid_email", 422, InvalidRequest;
    InvalidPersonnummer = "invalid_personnummer", 422, InvalidRequest;
    InvalidRetention = "invalid_retention", 422, InvalidRequest;
    InvalidServiceName = "invalid_service_name", 422, InvalidRequest;
    InvalidSettings = "invalid_settings", 422, InvalidRequest;
    InvalidSigning = "invalid_signing", 422, InvalidRequest;
    InvalidSlug = "invalid_slug", 422, InvalidRequest;
    InvalidStatuses = "invalid_statuses", 422, InvalidRequest;
    InvalidTemplate = "invalid_template", 422, InvalidRequest;
    InvalidUsername = "invalid_username", 422, InvalidRequest;
    MessageTooLong = "message_too_long", 422, InvalidRequest;
    MissingRoles = "missing_roles", 422, InvalidRequest;
    MissingText = "missing_text", 422, InvalidRequest;
    NoteTooLong = "note_too_long", 422, InvalidRequest;
    NotReadyToPublish = "not_ready_to_publish", 422, InvalidRequest;
    NotATestPersonnummer = "not_a_test_personnummer", 422, InvalidRequest;
    SelfCoSigning = "self_co_signing", 422, InvalidRequest;
    SlugImmutable = "slug_immutable", 422, InvalidRequest;
    StatusNotSettable = "status_not_settable", 422, InvalidRequest;
    StatusNotSupplementable = "status_not_supplementable", 422, InvalidRequest;
    SupplementNeedsRequest = "supplement_needs_request", 422, InvalidRequest;
    TextTooLong = "text_too_long", 422, InvalidRequest;
    TooManyAttachments = "too_many_attachments", 422, InvalidRequest;
    UnknownAttachment = "unknown_attachment", 422, InvalidRequest;
    UnknownField = "unknown_field", 422, InvalidRequest;
    UnknownPage = "unknown_page", 422, InvalidRequest;
    UnknownStatus = "unknown_status", 422, InvalidRequest;
    UnsupportedFileType = "unsupported_file_type", 422, InvalidRequest;
    ValidationFailed = "validation_failed", 422, InvalidRequest;
    WeakPassword = "weak_password", 422, InvalidRequest;
    TooManyRequests = "too_many_requests", 429, RateLimit;
    Internal = "internal", 500, Internal;
    BankidUnavailable = "bankid_unavailable", 503, Internal;
    Unavailable = "unavailable", 503, Internal;
    InsufficientStorage = "insufficient_storage", 507, Internal;
}

impl ErrorCode {
    /// The code with that wire name; `Other` for one this build does not know.
    pub fn parse(name: &str) -> Self {
        Self::ALL.iter().copied().find(|c| c.as_str() == name).unwrap_or(Self::Other)
    }
}

// By hand rather than derived: the names are already in `as_str`, and a
// derived visitor would put a second copy of the table into every app.
impl Serialize for ErrorCode {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
    }
}

impl<'de> Deserialize<'de> for ErrorCode {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let name = String::deserialize(deserializer)?;
        Ok(Self::parse(&name))
    }
}

impl std::fmt::Display for ErrorCode {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

#[cfg(feature = "server")]
mod schema {
    use utoipa::openapi::schema::{ObjectBuilder, Schema, SchemaType, Type};
    use utoipa::openapi::{RefOr, schema};

    use super::ErrorCode;

    impl utoipa::PartialSchema for ErrorCode {
        fn schema() -> RefOr<Schema> {
            let mut description = String::from(
                "A stable, machine-readable error code. Each code is sent with one HTTP status:\n\n| code | status |\n|---|---|\n",
            );
            for code in ErrorCode::ALL {
                description.push_str(&format!("| `{}` | {} |\n", code.as_str(), code.status()));
            }
            schema::Schema::Object(
                ObjectBuilder::new()
                    .schema_type(SchemaType::new(Type::String))
                    .enum_values(Some(ErrorCode::ALL.iter().map(|c| c.as_str())))
                    .description(Some(description))
                    .build(),
            )
            .into()
        }
    }

    impl utoipa::ToSchema for ErrorCode {}
}

#[cfg(test)]
mod tests {
    use super::{ErrorCode, ErrorType};

    #[test]
    fn every_code_is_sent_under_its_wire_name_once_with_a_status_that_fits_its_type() {
        let mut seen = std::collections::BTreeSet::new();
        for code in ErrorCode::ALL {
            assert_eq!(serde_json::to_value(code).expect("json"), serde_json::json!(code.as_str()));
            assert!(seen.insert(code.as_str()), "{code} twice");
            let fits = match code.error_type() {
                ErrorType::InvalidRequest => [400, 405, 413, 415, 422].contains(&code.status()),
                ErrorType::Auth => [401, 403].contains(&code.status()),
                ErrorType::NotFound => code.status() == 404,
                ErrorType::Conflict => [409, 412].contains(&code.status()),
                ErrorType::RateLimit => code.status() == 429,
                ErrorType::Internal => code.status() >= 500,
            };
            assert!(fits, "{code}: {} {:?}", code.status(), code.error_type());
        }
    }

    #[test]
    fn a_code_this_build_does_not_know_reads_as_other() {
        let code: ErrorCode = serde_json::from_str("\"a_code_from_a_newer_server\"").expect("json");
        assert_eq!(code, ErrorCode::Other);
        assert!(!ErrorCode::ALL.contains(&ErrorCode::Other));
    }
}
