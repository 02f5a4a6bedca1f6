//! Signing and multiple signing: a service's signing settings and the API
//! types of the applicant's signature, the co-signers' requests and the
//! handlers' view of the evidence.
//!
//! A service that requires signing takes no plain submission: the applicant
//! signs the summary of the exact answers with BankID (`sign`), and a case
//! that also needs co-signers waits in a status of kind *awaiting signatures*
//! (hidden from handlers) until the last of them has signed.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::form::{FieldKind, FormDefinition};
use crate::validate::Answers;

/// Who must sign a service's applications.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum SigningRequirement {
    /// No signature: the applicant submits.
    #[default]
    NotRequired,
    /// The applicant signs with e-ID before the case is submitted.
    Applicant,
    /// The applicant signs, then every co-signer; only then is the case submitted.
    ApplicantAndCoSigners,
}

/// Where a service's co-signers come from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
#[serde(tag = "source", rename_all = "snake_case")]
pub enum CoSignerSource {
    /// The other guardian(s), in the population register, of the child the applicant chooses
    /// in `child_field` (a field of kind `child`).
    RegisterGuardians {
        /// The key of the form's `child` field.
        child_field: String,
    },
    /// The person whose personnummer the applicant enters in `personnummer_field` (a field of
    /// kind `personnummer`).
    Entered {
        /// The key of the form's `personnummer` field.
        personnummer_field: String,
    },
}

/// Default days co-signers have to sign.
pub const DEFAULT_DEADLINE_DAYS: u32 = 14;
/// Longest deadline for co-signers, in days.
pub const MAX_DEADLINE_DAYS: u32 = 90;

fn default_deadline() -> u32 {
    DEFAULT_DEADLINE_DAYS
}

/// A service's signing settings. A setting the platform does not know is refused.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct SigningSettings {
    /// Who signs.
    #[serde(default)]
    pub requirement: SigningRequirement,
    /// Where the co-signers come from; required with `applicant_and_co_signers`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub co_signers: Option<CoSignerSource>,
    /// The key of an `email` field whose answer is the co-signer's e-mail address, to notify them
    /// (they always find the request on their Min sida).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub co_signer_email_field: Option<String>,
    /// Days the co-signers have, from the applicant's signature (1 to 90, default 14). A request
    /// still unsigned then ends the attempt.
    #[serde(default = "default_deadline")]
    #[cfg_attr(feature = "server", schema(minimum = 1, maximum = 90))]
    pub deadline_days: u32,
    /// Register-based co-signing only: no co-signature is needed from a guardian registered at
    /// the applicant's own address.
    #[serde(default)]
    pub skip_when_same_address: bool,
    /// The contact route shown when the register-based flow cannot run (a protected identity):
    /// how to apply instead. A platform text when absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "server", schema(max_length = 2000))]
    pub contact_route: Option<String>,
}

impl Default for SigningSettings {
    fn default() -> Self {
        Self {
            requirement: SigningRequirement::NotRequired,
            co_signers: None,
            co_signer_email_field: None,
            deadline_days: DEFAULT_DEADLINE_DAYS,
            skip_when_same_address: false,
            contact_route: None,
        }
    }
}

/// The contact route shown when a service's settings give none.
pub const DEFAULT_CONTACT_ROUTE: &str = "Det går inte att ansöka digitalt med underskrift från båda vårdnadshavarna när någon av er har skyddade personuppgifter. Kontakta kommunens kontaktcenter, så hjälper vi dig att ansöka på ett säkert sätt.";

impl SigningSettings {
    /// True when the applicant must sign.
    pub fn applicant_signs(&self) -> bool {
        self.requirement != SigningRequirement::NotRequired
    }

    /// The co-signer source, when co-signers are required.
    pub fn co_signer_source(&self) -> Option<&CoSignerSource> {
        match self.requirement {
            SigningRequirement::ApplicantAndCoSigners => self.co_signers.as_ref(),
            _ => None,
        }
    }

    /// The contact route to show.
    pub fn contact_route(&self) -> &str {
        self.contact_route.as_deref().filter(|s| !s.trim().is_empty()).unwrap_or(DEFAULT_CONTACT_ROUTE)
    }

    /// Checks the settings on their own: a source with co-signers, a deadline in range.
    pub fn check(&self) -> Result<(), String> {
        if !(1..=MAX_DEADLINE_DAYS).contains(&self.deadline_days) {
            return Err(format!("signing.deadline_days must be between 1 and {MAX_DEADLINE_DAYS}"));
        }
        if self.requirement == SigningRequirement::ApplicantAndCoSigners && self.co_signers.is_none() {
            return Err("signing.co_signers is required when co-signers must sign".into());
        }
        if self.contact_route.as_ref().is_some_and(|c| c.chars().count() > 2000) {
            return Err("signing.contact_route is longer than 2000 characters".into());
        }
        Ok(())
    }

    /// Checks the settings against a form: the fields they name exist with the right kinds.
    pub fn check_form(&self, form: &FormDefinition) -> Result<(), String> {
        let kind_of = |key: &str| form.fields().find(|(_, f)| f.key == key).map(|(_, f)| f.kind.clone());
        if let Some(source) = self.co_signer_source() {
            let (key, want, ok) = match source {
                CoSignerSource::RegisterGuardians { child_field } => {
                    (child_field, "child", matches!(kind_of(child_field), Some(FieldKind::Child)))
                }
                CoSignerSource::Entered { personnummer_field } => (
                    personnummer_field,
                    "personnummer",
                    matches!(kind_of(personnummer_field), Some(FieldKind::Personnummer { .. })),
                ),
            };
            if !ok {
                return Err(format!(
                    "the signing settings name the field '{key}', which the form lacks as a field of kind '{want}'"
                ));
            }
        }
        if let Some(key) = &self.co_signer_email_field
            && !matches!(kind_of(key), Some(FieldKind::Email))
        {
            return Err(format!(
                "the signing settings name the field '{key}', which the form lacks as a field of kind 'email'"
            ));
        }
        Ok(())
    }
}

/// Body of `POST /catalogue/{slug}/signings`: the answers to sign (as for a submission).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct StartSigningRequest {
    /// The form version the answers were given for (the current published one).
    pub form_version: u32,
    /// The answers, keyed by field key.
    #[cfg_attr(feature = "server", schema(value_type = Object))]
    #[serde(deserialize_with = "crate::wire::unique_answers")]
    pub answers: Answers,
    /// The applicant's draft the answers come from: deleted when the case is made.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub draft: Option<Uuid>,
    /// True when BankID is started on this device with the autostart token; false (default)
    /// for the animated QR code.
    #[serde(default)]
    pub same_device: bool,
}

/// A started signature. BankID's `orderRef` and `qrStartSecret` never leave the server.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct SigningStarted {
    /// The signature's opaque id: poll `GET /api/v1/signings/{signing_id}`.
    pub signing_id: String,
    /// Starts BankID on the same device.
    pub auto_start_token: String,
    /// The text shown in the BankID app (simple Markdown): what is being signed.
    pub summary: String,
    /// SHA-256 (hex) of the exact answers, signed with the text.
    pub digest: String,
    /// Who will be asked to co-sign after this signature (names only; empty when nobody).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub co_signers: Vec<String>,
}

/// Where a signature order is, for the browser polling it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct SigningProgress {
    /// Pending, failed or complete.
    pub status: crate::api::BankIdLoginStatus,
    /// BankID's hint code.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub hint_code: Option<String>,
    /// What to tell the user (absent once complete).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub message: Option<crate::api::BankIdMessage>,
    /// The animated QR code's content for this second, while waiting for a scan (QR flow only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub qr_data: Option<String>,
    /// The same QR code as an SVG element.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub qr_svg: Option<String>,
    /// The applicant's signature, once complete: the case (submitted, or awaiting its co-signers).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub case: Option<crate::api::ApplicantCase>,
    /// A co-signer's signature, once complete: the request, now signed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub request: Option<SignatureRequestView>,
}

/// A signature's part in a case.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum SignatureRole {
    /// The applicant's own signature.
    Applicant,
    /// A co-signer's (e.g. the second guardian's).
    CoSigner,
}

/// Where one required signature is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum SignatureState {
    /// Asked for, not yet given.
    Pending,
    /// Signed.
    Signed,
    /// Declined by the co-signer.
    Declined,
    /// Not signed before the deadline, or not needed any more because the attempt ended.
    Expired,
}

impl SignatureState {
    /// The machine name, as in JSON and the database.
    pub fn as_str(self) -> &'static str {
        match self {
            SignatureState::Pending => "pending",
            SignatureState::Signed => "signed",
            SignatureState::Declined => "declined",
            SignatureState::Expired => "expired",
        }
    }

    /// Parses the machine name.
    pub fn parse(s: &str) -> Option<Self> {
        [SignatureState::Pending, SignatureState::Signed, SignatureState::Declined, SignatureState::Expired]
            .into_iter()
            .find(|k| k.as_str() == s)
    }
}

/// Where a case's signing attempt is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum SigningOutcome {
    /// Waiting for co-signers.
    Awaiting,
    /// Every required signature is in; the case was submitted.
    Complete,
    /// A co-signer declined: the case did not reach the handlers.
    Declined,
    /// The deadline passed: the case did not reach the handlers.
    Expired,
}

/// A signature request as the co-signer sees it (`/me/signature-requests`): only what the
/// signed summary shows.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct SignatureRequestView {
    /// The request's id.
    pub id: Uuid,
    /// The service's name.
    pub service_name: String,
    /// The text to sign (simple Markdown), exactly as the applicant signed it.
    pub summary: String,
    /// SHA-256 (hex) of the answers, signed with the text.
    pub digest: String,
    /// Where this request is.
    pub state: SignatureState,
    /// When it was asked for.
    #[serde(deserialize_with = "crate::date::deserialize_utc")]
    pub requested_at: DateTime<Utc>,
    /// The last moment to sign.
    #[serde(deserialize_with = "crate::date::deserialize_utc")]
    pub deadline: DateTime<Utc>,
    /// When it was signed, declined or expired.
    #[serde(default, deserialize_with = "crate::date::deserialize_utc_opt", skip_serializing_if = "Option::is_none")]
    pub decided_at: Option<DateTime<Utc>>,
    /// The application's status now, once this person has signed it: they follow it on Min
    /// sida until it closes (nothing else of the case). Absent before they sign, and after a
    /// decline.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub case_status: Option<crate::api::CaseStatus>,
}

/// Body of `POST /me/signature-requests/{id}/sign`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct SignRequestBody {
    /// True when BankID is started on this device; false (default) for the QR code.
    #[serde(default)]
    pub same_device: bool,
}

/// Body of `POST /me/signature-requests/{id}/decline`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct DeclineSignatureRequest {
    /// A message to the applicant (at most 1000 characters).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "server", schema(max_length = 1000))]
    pub message: Option<String>,
}

/// One signature of the applicant's own case (`GET /me/cases/{reference}/signatures`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct ApplicantSignatureView {
    /// Applicant or co-signer.
    pub role: SignatureRole,
    /// The signer's name, when known (from the register or their e-ID).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// Where it is.
    pub state: SignatureState,
    /// When it was signed, declined or expired.
    #[serde(default, deserialize_with = "crate::date::deserialize_utc_opt", skip_serializing_if = "Option::is_none")]
    pub decided_at: Option<DateTime<Utc>>,
    /// The co-signer's message when declining.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub decline_message: Option<String>,
}

/// The applicant's view of their case's signing.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct ApplicantSigning {
    /// Where the attempt is.
    pub outcome: SigningOutcome,
    /// The last moment for the co-signers.
    #[serde(default, deserialize_with = "crate::date::deserialize_utc_opt", skip_serializing_if = "Option::is_none")]
    pub deadline: Option<DateTime<Utc>>,
    /// The signatures, the applicant's first.
    pub signatures: Vec<ApplicantSignatureView>,
}

/// One signature of a case, for handlers (`GET /cases/{reference}/signatures`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct CaseSignatureView {
    /// The signature's id (for its evidence).
    pub id: Uuid,
    /// Applicant or co-signer.
    pub role: SignatureRole,
    /// The signer's personnummer (12 digits).
    pub personnummer: String,
    /// The signer's name, as their e-ID gave it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// Where it is.
    pub state: SignatureState,
    /// The e-ID used, e.g. `BankID`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub provider: Option<String>,
    /// When it was signed.
    #[serde(default, deserialize_with = "crate::date::deserialize_utc_opt", skip_serializing_if = "Option::is_none")]
    pub signed_at: Option<DateTime<Utc>>,
    /// SHA-256 (hex) of the answers the signature covers.
    pub digest: String,
}

/// The result of re-checking a case's signatures against its answers
/// (`POST /cases/{reference}/signatures/verify`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct SignatureVerification {
    /// True when every signed signature covers exactly the case's answers now.
    pub valid: bool,
    /// SHA-256 (hex) of the case's answers now.
    pub answers_digest: String,
    /// Each signed signature.
    pub signatures: Vec<SignatureCheck>,
}

/// One signature's check.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct SignatureCheck {
    /// The signature's id.
    pub id: Uuid,
    /// Applicant or co-signer.
    pub role: SignatureRole,
    /// The stored digest equals the digest of the answers now.
    pub digest_matches_answers: bool,
    /// The signed data in BankID's signature carries the stored digest and shows the stored
    /// summary (a format check of what was signed, not a cryptographic check of the signature).
    pub signature_carries_digest: bool,
    /// Both hold.
    pub valid: bool,
}
