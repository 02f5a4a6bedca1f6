//! Services and their forms: a service's settings, its form versions, and the public catalogue.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::RetentionRules;
use crate::form::FormDefinition;
use crate::status::StatusDefinition;

/// Whether a service requires e-identification.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum IdentityRequirement {
    /// The applicant must log in with e-ID.
    #[default]
    EId,
    /// The applicant may log in with e-ID or continue anonymously.
    AnonymousAllowed,
}

/// A service (e-tjänst) as the platform team writes it. A setting the platform does not know
/// is refused (400 `invalid_json`), never silently ignored.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct ServiceInput {
    /// URL name, unique: lowercase letters, digits and `-`, 2 to 64 characters.
    #[cfg_attr(feature = "server", schema(pattern = r"^[a-z0-9]+(-[a-z0-9]+)*$", min_length = 2, max_length = 64))]
    pub slug: String,
    /// The name: simple, short, and not starting with "Ansökan" or "Anmälan".
    #[cfg_attr(feature = "server", schema(pattern = r"\S", min_length = 2, max_length = 80))]
    pub name: String,
    /// Who the service is for (the target group).
    #[cfg_attr(feature = "server", schema(pattern = r"\S", min_length = 1, max_length = 2000))]
    pub audience: String,
    /// Text of the first page: what the service is and what to have ready.
    #[cfg_attr(feature = "server", schema(pattern = r"\S", min_length = 1, max_length = 20000))]
    pub first_page_text: String,
    /// Text of the last page, shown after submission.
    #[cfg_attr(feature = "server", schema(pattern = r"\S", min_length = 1, max_length = 20000))]
    pub last_page_text: String,
    /// The heading of the last page and the receipt, in the service's own words (e.g.
    /// "Felanmälan är skickad"); the platform's neutral "Ditt ärende är skickat" when absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "server", schema(max_length = 120))]
    pub receipt_heading: Option<String>,
    /// How personal data is processed (the privacy notice at collection).
    #[cfg_attr(feature = "server", schema(pattern = r"\S", min_length = 1, max_length = 20000))]
    pub privacy_text: String,
    /// Subject of the confirmation e-mail to the applicant.
    #[cfg_attr(feature = "server", schema(pattern = r"\S", min_length = 1, max_length = 200))]
    pub confirmation_email_subject: String,
    /// Body of the confirmation e-mail to the applicant (plain text; a blank line starts a new
    /// paragraph). Placeholders: `{{service_name}}`, `{{case_reference}}`, `{{submitted_date}}`,
    /// `{{min_sida_link}}`, `{{first_name}}`; any other `{{…}}` is rejected. The subject takes the same.
    #[cfg_attr(feature = "server", schema(pattern = r"\S", min_length = 1, max_length = 20000))]
    pub confirmation_email_body: String,
    /// The confirmation e-mail's subject in English, for applicants using the English app;
    /// the Swedish one when absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "server", schema(max_length = 200))]
    pub confirmation_email_subject_en: Option<String>,
    /// The confirmation e-mail's body in English; the Swedish one when absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "server", schema(max_length = 20000))]
    pub confirmation_email_body_en: Option<String>,
    /// The handlers' functional (shared) mailbox.
    #[cfg_attr(feature = "server", schema(pattern = r"^[^@\s]+@[^@\s.]+(\.[^@\s.]+)+$", max_length = 254))]
    pub handler_mailbox: String,
    /// Whether e-ID is required.
    #[serde(default)]
    pub identity: IdentityRequirement,
    /// Days after a case is closed before it is purged (1 to 3650).
    #[cfg_attr(feature = "server", schema(minimum = 1, maximum = 3650))]
    pub retention_days_after_closing: u32,
    /// Days an unsubmitted draft is kept after the applicant last saved it (1 to 3650); the
    /// platform's default (`[retention] draft_days`) when absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "server", schema(minimum = 1, maximum = 3650))]
    pub retention_days_for_drafts: Option<u32>,
    /// Days a case may wait for its co-signers before it is purged (1 to 3650); the platform's
    /// default (`[retention] awaiting_signatures_days`) when absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "server", schema(minimum = 1, maximum = 3650))]
    pub retention_days_awaiting_signatures: Option<u32>,
    /// The ordered status list; the four standard statuses when omitted.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub statuses: Option<Vec<StatusDefinition>>,
    /// Signing: not required (default), the applicant, or the applicant and co-signers.
    #[serde(default)]
    pub signing: crate::signing::SigningSettings,
    /// The service's texts in English, each optional: the English app shows the Swedish where
    /// one is absent.
    #[serde(default, skip_serializing_if = "ServiceEnglish::is_empty")]
    pub english: ServiceEnglish,
}

/// A service's texts in English (each optional; the Swedish is shown where one is absent). The
/// confirmation e-mail's English is `confirmation_email_subject_en` and `…_body_en`.
// `Deserialize` is written by hand (below): the derived reader is a large piece of the applicants'
// app, which reads this in every service. It refuses an unknown or repeated text, as
// `deny_unknown_fields` would. (Not a doc comment: that would change the OpenAPI description.)
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct ServiceEnglish {
    /// The name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "server", schema(max_length = 80))]
    pub name: Option<String>,
    /// Who the service is for.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "server", schema(max_length = 2000))]
    pub audience: Option<String>,
    /// The first page's text.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "server", schema(max_length = 20000))]
    pub first_page_text: Option<String>,
    /// The last page's text.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "server", schema(max_length = 20000))]
    pub last_page_text: Option<String>,
    /// How personal data is processed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "server", schema(max_length = 20000))]
    pub privacy_text: Option<String>,
    /// The receipt's heading.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "server", schema(max_length = 120))]
    pub receipt_heading: Option<String>,
}

impl<'de> Deserialize<'de> for ServiceEnglish {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Visitor;
        impl<'de> serde::de::Visitor<'de> for Visitor {
            type Value = ServiceEnglish;
            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("an object of the service's texts in English")
            }
            fn visit_map<A: serde::de::MapAccess<'de>>(self, mut map: A) -> Result<ServiceEnglish, A::Error> {
                let mut e = ServiceEnglish::default();
                while let Some(key) = map.next_key::<String>()? {
                    let slot = match key.as_str() {
                        "name" => &mut e.name,
                        "audience" => &mut e.audience,
                        "first_page_text" => &mut e.first_page_text,
                        "last_page_text" => &mut e.last_page_text,
                        "privacy_text" => &mut e.privacy_text,
                        "receipt_heading" => &mut e.receipt_heading,
                        _ => return Err(serde::de::Error::custom(format_args!("unknown field `{key}`"))),
                    };
                    if slot.is_some() {
                        return Err(serde::de::Error::custom(format_args!("duplicate field `{key}`")));
                    }
                    *slot = map.next_value()?;
                }
                Ok(e)
            }
        }
        deserializer.deserialize_map(Visitor)
    }
}

impl ServiceEnglish {
    /// Whether no English text is written.
    pub fn is_empty(&self) -> bool {
        *self == ServiceEnglish::default()
    }

    /// Only the name and the target group (what the catalogue lists).
    pub fn name_and_audience(self) -> ServiceEnglish {
        ServiceEnglish { name: self.name, audience: self.audience, ..ServiceEnglish::default() }
    }
}

/// A Swedish text of a service with its English, if written.
pub fn with_english(sv: &str, en: &Option<String>) -> crate::text::Text {
    crate::text::Text { sv: sv.to_owned(), en: en.clone() }
}

/// A service as the API returns it to staff.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct ServiceView {
    /// The service's id.
    pub id: Uuid,
    /// URL name.
    pub slug: String,
    /// Name.
    pub name: String,
    /// Who the service is for.
    pub audience: String,
    /// First page text.
    pub first_page_text: String,
    /// Last page text.
    pub last_page_text: String,
    /// The receipt's heading in the service's own words, if it has one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub receipt_heading: Option<String>,
    /// Privacy notice.
    pub privacy_text: String,
    /// Confirmation e-mail subject.
    pub confirmation_email_subject: String,
    /// Confirmation e-mail body.
    pub confirmation_email_body: String,
    /// Confirmation e-mail subject in English, if written.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub confirmation_email_subject_en: Option<String>,
    /// Confirmation e-mail body in English, if written.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub confirmation_email_body_en: Option<String>,
    /// Handlers' functional mailbox.
    pub handler_mailbox: String,
    /// Whether e-ID is required.
    pub identity: IdentityRequirement,
    /// Days after closing before purge.
    pub retention_days_after_closing: u32,
    /// The service's own period for drafts, if it overrides the platform's.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub retention_days_for_drafts: Option<u32>,
    /// The service's own period for cases awaiting signatures, if it overrides the platform's.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub retention_days_awaiting_signatures: Option<u32>,
    /// The periods that apply: the service's own, the platform's defaults elsewhere.
    pub retention: RetentionRules,
    /// The ordered status list.
    pub statuses: Vec<StatusDefinition>,
    /// The signing settings.
    #[serde(default)]
    pub signing: crate::signing::SigningSettings,
    /// The service's texts in English, where written.
    #[serde(default, skip_serializing_if = "ServiceEnglish::is_empty")]
    pub english: ServiceEnglish,
    /// The published form version applicants fill in now, if any.
    pub published_version: Option<u32>,
    /// Draft (never published), published (in the catalogue) or unpublished (taken out of it).
    pub state: ServiceState,
    /// Counts the saves of these settings; sent as the `ETag` (`"3"`), and a save carrying an
    /// older one in `If-Match` is refused (412 `edit_conflict`).
    pub revision: u32,
    /// The username of whoever saved the settings last (none before the builder recorded it).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub updated_by: Option<String>,
    /// When the service was created.
    #[serde(deserialize_with = "crate::date::deserialize_utc")]
    pub created_at: DateTime<Utc>,
    /// When the service was last changed.
    #[serde(deserialize_with = "crate::date::deserialize_utc")]
    pub updated_at: DateTime<Utc>,
}

impl ServiceView {
    /// The settings as a save sends them back: everything the view shows that may be changed.
    pub fn to_input(&self) -> ServiceInput {
        ServiceInput {
            slug: self.slug.clone(),
            name: self.name.clone(),
            audience: self.audience.clone(),
            first_page_text: self.first_page_text.clone(),
            last_page_text: self.last_page_text.clone(),
            receipt_heading: self.receipt_heading.clone(),
            privacy_text: self.privacy_text.clone(),
            confirmation_email_subject: self.confirmation_email_subject.clone(),
            confirmation_email_body: self.confirmation_email_body.clone(),
            confirmation_email_subject_en: self.confirmation_email_subject_en.clone(),
            confirmation_email_body_en: self.confirmation_email_body_en.clone(),
            handler_mailbox: self.handler_mailbox.clone(),
            identity: self.identity,
            retention_days_after_closing: self.retention_days_after_closing,
            retention_days_for_drafts: self.retention_days_for_drafts,
            retention_days_awaiting_signatures: self.retention_days_awaiting_signatures,
            statuses: Some(self.statuses.clone()),
            signing: self.signing.clone(),
            english: self.english.clone(),
        }
    }
}

/// Where a service is in its life.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum ServiceState {
    /// No version has been published yet: it may still be deleted.
    Draft,
    /// In the catalogue: applicants fill in `published_version`.
    Published,
    /// Taken out of the catalogue after being published; its cases go on, and it is never deleted.
    Unpublished,
}

/// Body of `POST /services/{slug}/copy`: the new service's URL name and name; everything
/// else (settings, statuses, texts, and the form as its newest version has it, as draft
/// version 1) is copied. Permissions are not: the copy has no handlers until given some.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct ServiceCopyInput {
    /// The copy's URL name, unique: lowercase letters, digits and `-`, 2 to 64 characters.
    pub slug: String,
    /// The copy's name.
    pub name: String,
}

/// Body of `POST /services/{slug}/forms/{version}/publish`.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct PublishInput {
    /// What changed, in a few words, for the version history (at most 500 characters).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "server", schema(max_length = 500))]
    pub note: Option<String>,
}

/// What was done in the service builder.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum BuilderAction {
    /// The service was created.
    CreateService,
    /// The service was created as a copy of another (`detail`: its URL name).
    CopyService,
    /// Its settings were saved.
    SaveSettings,
    /// It was taken out of the catalogue.
    UnpublishService,
    /// It was deleted (never published).
    DeleteService,
    /// A form version was created.
    CreateVersion,
    /// A draft version was saved.
    SaveVersion,
    /// A version was published (`detail`: the note).
    PublishVersion,
    /// An older version became a new draft (`detail`: the version restored).
    RestoreVersion,
    /// A staff account was given permission on the service (`detail`: its username).
    GrantPermission,
    /// A staff account lost its permission on the service (`detail`: its username).
    RevokePermission,
}

impl BuilderAction {
    /// The wire name, as stored.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::CreateService => "create_service",
            Self::CopyService => "copy_service",
            Self::SaveSettings => "save_settings",
            Self::UnpublishService => "unpublish_service",
            Self::DeleteService => "delete_service",
            Self::CreateVersion => "create_version",
            Self::SaveVersion => "save_version",
            Self::PublishVersion => "publish_version",
            Self::RestoreVersion => "restore_version",
            Self::GrantPermission => "grant_permission",
            Self::RevokePermission => "revoke_permission",
        }
    }

    /// Every action.
    pub const ALL: [BuilderAction; 11] = [
        Self::CreateService,
        Self::CopyService,
        Self::SaveSettings,
        Self::UnpublishService,
        Self::DeleteService,
        Self::CreateVersion,
        Self::SaveVersion,
        Self::PublishVersion,
        Self::RestoreVersion,
        Self::GrantPermission,
        Self::RevokePermission,
    ];

    /// The action a stored name is.
    pub fn parse(s: &str) -> Option<BuilderAction> {
        Self::ALL.into_iter().find(|a| a.as_str() == s)
    }
}

/// One entry of a service's builder log: who did what, and when.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct BuilderAuditEntry {
    /// The entry's id (the list's cursor).
    pub id: Uuid,
    /// The service's URL name.
    pub service: String,
    /// The username of who did it.
    pub staff_username: String,
    /// What was done.
    pub action: BuilderAction,
    /// The form version acted on, if one was.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub version: Option<u32>,
    /// The publisher's note, the service copied from, or the account given or losing a permission.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub detail: Option<String>,
    /// When.
    #[serde(deserialize_with = "crate::date::deserialize_utc")]
    pub at: DateTime<Utc>,
}

/// The life-cycle state of a form version.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum FormVersionState {
    /// Being built; may change.
    Draft,
    /// Published; immutable forever.
    Published,
}

/// Body for creating or replacing a draft form version.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct FormVersionInput {
    /// The form definition.
    pub definition: FormDefinition,
}

/// A form version.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct FormVersionView {
    /// The service's URL name.
    pub service: String,
    /// Version number, counting from 1 per service.
    pub version: u32,
    /// Draft or published.
    pub state: FormVersionState,
    /// The form definition.
    pub definition: FormDefinition,
    /// When the version was created.
    #[serde(deserialize_with = "crate::date::deserialize_utc")]
    pub created_at: DateTime<Utc>,
    /// When it was published.
    #[serde(default, deserialize_with = "crate::date::deserialize_utc_opt")]
    pub published_at: Option<DateTime<Utc>>,
    /// Counts the saves of the definition; sent as the `ETag` (`"3"`), and a save carrying an
    /// older one in `If-Match` is refused (412 `edit_conflict`).
    pub revision: u32,
    /// When the definition was last saved (none if never saved after its creation).
    #[serde(default, deserialize_with = "crate::date::deserialize_utc_opt", skip_serializing_if = "Option::is_none")]
    pub updated_at: Option<DateTime<Utc>>,
    /// The username of who created it (none before the builder recorded it).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub created_by: Option<String>,
    /// The username of who saved it last.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub updated_by: Option<String>,
    /// The username of who published it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub published_by: Option<String>,
    /// What changed, in the publisher's words.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub publish_note: Option<String>,
}

/// What a form version does, worked out for its builders (see [`crate::analysis`]): pages,
/// fields and rules that do nothing, and the service's flow to draw.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct FormAnalysis {
    /// The version analysed.
    pub version: u32,
    /// Why the definition cannot be published as it is, if it cannot (then `findings` is empty).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
    /// Pages and fields never shown, rules that never apply, fail or pass.
    pub findings: Vec<crate::analysis::Finding>,
    /// The service's steps and the ways between them, with the service's login and signing.
    pub flow: crate::analysis::Flow,
    /// The texts written in Swedish only: the English app shows them in Swedish.
    pub untranslated: Vec<crate::form::Untranslated>,
}

/// One line of the publishing checklist.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct ChecklistItem {
    /// What is checked: `first_page`, `last_page`, `privacy_text`, `confirmation_email`,
    /// `handler_mailbox`, `retention`, `handler`, `statuses`, `definition`, `signing`,
    /// `english` (blocking); `name`, `findings` (warnings).
    pub key: String,
    /// Whether it holds.
    pub ok: bool,
    /// Whether publishing waits for it (a warning does not).
    pub blocking: bool,
    /// What is checked, or what is wrong, in Swedish and English.
    pub words: crate::validate::Localized,
}

/// Whether a version can be published: every item, the blocking ones first.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct PublishChecklist {
    /// The version checked.
    pub version: u32,
    /// No blocking item fails: publishing is allowed.
    pub ready: bool,
    /// The items.
    pub items: Vec<ChecklistItem>,
}

/// What changed between two versions of a service's form, in words (see [`crate::diff`]).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct FormDiff {
    /// The version compared from.
    pub from: u32,
    /// The version compared to.
    pub to: u32,
    /// The changes, page by page in the newer version's order, then what was removed.
    pub changes: Vec<crate::diff::Change>,
}

/// A published service in the public catalogue.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct CatalogueEntry {
    /// URL name.
    pub slug: String,
    /// Name.
    pub name: String,
    /// Who the service is for.
    pub audience: String,
    /// Whether e-ID is required.
    pub identity: IdentityRequirement,
    /// The name and target group in English, where written.
    #[serde(default, skip_serializing_if = "ServiceEnglish::is_empty")]
    pub english: ServiceEnglish,
}

/// A published service with its current form, for applicants.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct CatalogueService {
    /// URL name.
    pub slug: String,
    /// Name.
    pub name: String,
    /// Who the service is for.
    pub audience: String,
    /// First page text.
    pub first_page_text: String,
    /// Last page text.
    pub last_page_text: String,
    /// The heading of the last page in the service's own words (e.g. "Felanmälan är skickad");
    /// the platform's neutral one when absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub receipt_heading: Option<String>,
    /// Privacy notice.
    pub privacy_text: String,
    /// Whether e-ID is required.
    pub identity: IdentityRequirement,
    /// Who signs before the case is submitted; when not `not_required`, submit through
    /// `POST /catalogue/{slug}/signings` instead of `…/cases`.
    #[serde(default)]
    pub signing: crate::signing::SigningRequirement,
    /// With co-signers from the population register: how to apply when that flow cannot run
    /// (someone has a protected identity).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub signing_contact_route: Option<String>,
    /// The form version to fill in.
    pub form_version: u32,
    /// The form definition.
    pub form: FormDefinition,
    /// The service's texts in English, where written.
    #[serde(default, skip_serializing_if = "ServiceEnglish::is_empty")]
    pub english: ServiceEnglish,
}
