//! Case statuses. Every service has its own ordered status list; each status
//! has a fixed *kind* that retention, Min sida grouping, signing and
//! notifications key on, never the display name.

use serde::{Deserialize, Serialize};

/// What a status means to the platform.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum StatusKind {
    /// Not yet submitted (an applicant's draft).
    Draft,
    /// Waiting for co-signers before it is submitted.
    AwaitingSignatures,
    /// Submitted, not yet registered by staff.
    Submitted,
    /// Registered by staff.
    Registered,
    /// Being handled.
    InProgress,
    /// Waiting for the applicant to supplement the case.
    AwaitingSupplement,
    /// Closed; the retention clock runs from here.
    Closed,
}

impl StatusKind {
    /// All kinds, in life-cycle order.
    pub const ALL: [StatusKind; 7] = [
        StatusKind::Draft,
        StatusKind::AwaitingSignatures,
        StatusKind::Submitted,
        StatusKind::Registered,
        StatusKind::InProgress,
        StatusKind::AwaitingSupplement,
        StatusKind::Closed,
    ];

    /// Kinds a handler may set by hand; the others are set by the platform.
    pub fn settable_by_staff(self) -> bool {
        !matches!(self, StatusKind::Draft | StatusKind::AwaitingSignatures)
    }

    /// The machine name, as in JSON.
    pub fn as_str(self) -> &'static str {
        match self {
            StatusKind::Draft => "draft",
            StatusKind::AwaitingSignatures => "awaiting_signatures",
            StatusKind::Submitted => "submitted",
            StatusKind::Registered => "registered",
            StatusKind::InProgress => "in_progress",
            StatusKind::AwaitingSupplement => "awaiting_supplement",
            StatusKind::Closed => "closed",
        }
    }

    /// Parses the machine name.
    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.as_str() == s)
    }
}

/// One status of a service's status list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct StatusDefinition {
    /// Stable key, e.g. `inskickat`: lowercase letters, digits and `_`.
    pub key: String,
    /// Name shown to applicants and staff (Swedish).
    pub name: String,
    /// English name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name_en: Option<String>,
    /// What the status means to the platform.
    pub kind: StatusKind,
    /// The applicant may supplement the case in this status.
    #[serde(default)]
    pub applicant_may_supplement: bool,
    /// Applicant and handler may exchange messages in this status.
    #[serde(default = "yes")]
    pub messaging_allowed: bool,
    /// Tell the applicant by e-mail when a case enters this status (the mail
    /// says only that the case changed, with a link to Min sida).
    #[serde(default)]
    pub notify_applicant: bool,
}

fn yes() -> bool {
    true
}

/// The four standard statuses: Inskickat, Registrerat, Under handläggning, Avslutat.
pub fn standard_statuses() -> Vec<StatusDefinition> {
    let s = |key: &str, name: &str, en: &str, kind, messaging, notify| StatusDefinition {
        key: key.into(),
        name: name.into(),
        name_en: Some(en.into()),
        kind,
        applicant_may_supplement: false,
        messaging_allowed: messaging,
        notify_applicant: notify,
    };
    vec![
        s("inskickat", "Inskickat", "Submitted", StatusKind::Submitted, true, false),
        s("registrerat", "Registrerat", "Registered", StatusKind::Registered, true, false),
        s("under_handlaggning", "Under handläggning", "In progress", StatusKind::InProgress, true, true),
        s("avslutat", "Avslutat", "Closed", StatusKind::Closed, false, true),
    ]
}

/// Why a status list is rejected.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum StatusListError {
    /// A key is not `[a-z][a-z0-9_]{0,63}`.
    #[error("the status key '{0}' is not valid: use lowercase letters, digits or '_', starting with a letter")]
    InvalidKey(String),
    /// Two statuses share a key.
    #[error("the status key '{0}' is used more than once")]
    DuplicateKey(String),
    /// A status has an empty name.
    #[error("the status '{0}' has no name")]
    EmptyName(String),
    /// The list lacks a status of a kind every service needs.
    #[error("the status list needs a status of kind '{}'", .0.as_str())]
    MissingKind(StatusKind),
    /// A key the platform keeps for its own signing statuses.
    #[error("the status key '{0}' is kept for the platform's own signing status; choose another key")]
    ReservedKey(String),
    /// A draft status in the list: drafts are not cases.
    #[error("a service's status list cannot contain a status of kind 'draft'")]
    DraftNotAllowed,
}

/// Checks a service's status list: valid unique keys, names, and at least one
/// status of kind *submitted* (the first one is where new cases start) and
/// one of kind *closed*.
pub fn check_status_list(list: &[StatusDefinition]) -> Result<(), StatusListError> {
    let mut keys = std::collections::BTreeSet::new();
    for s in list {
        if !crate::form::is_valid_key(&s.key) {
            return Err(StatusListError::InvalidKey(s.key.clone()));
        }
        if [AWAITING_SIGNATURES_KEY, SIGNING_ENDED_KEY].contains(&s.key.as_str()) {
            return Err(StatusListError::ReservedKey(s.key.clone()));
        }
        if !keys.insert(s.key.as_str()) {
            return Err(StatusListError::DuplicateKey(s.key.clone()));
        }
        if s.name.trim().is_empty() {
            return Err(StatusListError::EmptyName(s.key.clone()));
        }
        if s.kind == StatusKind::Draft {
            return Err(StatusListError::DraftNotAllowed);
        }
    }
    for kind in [StatusKind::Submitted, StatusKind::Closed] {
        if !list.iter().any(|s| s.kind == kind) {
            return Err(StatusListError::MissingKind(kind));
        }
    }
    Ok(())
}

/// Key of the platform's status for a case waiting for its co-signers.
pub const AWAITING_SIGNATURES_KEY: &str = "vantar_pa_underskrift";
/// Key of the platform's status for a case whose signing ended without every signature (a
/// decline or the deadline): it never reached the handlers.
pub const SIGNING_ENDED_KEY: &str = "ej_inskickat";

/// The status a case waits in for its co-signers: the service's own first status of kind
/// *awaiting signatures*, or the platform's.
pub fn awaiting_signatures_status(list: &[StatusDefinition]) -> StatusDefinition {
    list.iter().find(|s| s.kind == StatusKind::AwaitingSignatures).cloned().unwrap_or_else(|| StatusDefinition {
        key: AWAITING_SIGNATURES_KEY.into(),
        name: "Väntar på underskrift".into(),
        name_en: Some("Awaiting signatures".into()),
        kind: StatusKind::AwaitingSignatures,
        applicant_may_supplement: false,
        messaging_allowed: false,
        notify_applicant: false,
    })
}

/// The status of a case whose signing ended without every signature. Its kind stays
/// *awaiting signatures*: handlers never see it, and it is purged by that retention rule.
pub fn signing_ended_status() -> StatusDefinition {
    StatusDefinition {
        key: SIGNING_ENDED_KEY.into(),
        name: "Ej inskickat – underskrift saknas".into(),
        name_en: Some("Not submitted – a signature is missing".into()),
        kind: StatusKind::AwaitingSignatures,
        applicant_may_supplement: false,
        messaging_allowed: false,
        notify_applicant: false,
    }
}

/// A status by key: the service's own, else the platform's signing statuses.
pub fn find_status(list: &[StatusDefinition], key: &str) -> Option<StatusDefinition> {
    list.iter()
        .find(|s| s.key == key)
        .cloned()
        .or_else(|| [awaiting_signatures_status(&[]), signing_ended_status()].into_iter().find(|s| s.key == key))
}

/// The status a newly submitted case gets: the first of kind *submitted*.
pub fn initial_status(list: &[StatusDefinition]) -> Option<&StatusDefinition> {
    list.iter().find(|s| s.kind == StatusKind::Submitted)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_standard_list_is_valid_and_starts_at_inskickat() {
        let list = standard_statuses();
        assert_eq!(check_status_list(&list), Ok(()));
        assert_eq!(initial_status(&list).map(|s| s.key.as_str()), Some("inskickat"));
        let names: Vec<_> = list.iter().map(|s| s.name.as_str()).collect();
        assert_eq!(names, ["Inskickat", "Registrerat", "Under handläggning", "Avslutat"]);
    }

    #[test]
    fn a_list_without_a_closed_status_is_rejected() {
        let list: Vec<_> = standard_statuses().into_iter().filter(|s| s.kind != StatusKind::Closed).collect();
        assert_eq!(check_status_list(&list), Err(StatusListError::MissingKind(StatusKind::Closed)));
    }

    #[test]
    fn a_custom_status_with_its_own_kind_and_flags_is_accepted() {
        let mut list = standard_statuses();
        list.insert(
            3,
            StatusDefinition {
                key: "vantar_komplettering".into(),
                name: "Väntar på komplettering".into(),
                name_en: None,
                kind: StatusKind::AwaitingSupplement,
                applicant_may_supplement: true,
                messaging_allowed: true,
                notify_applicant: true,
            },
        );
        assert_eq!(check_status_list(&list), Ok(()));
    }

    #[test]
    fn duplicate_status_keys_are_rejected() {
        let mut list = standard_statuses();
        list.push(list[0].clone());
        assert_eq!(check_status_list(&list), Err(StatusListError::DuplicateKey("inskickat".into())));
    }

    #[test]
    fn the_platforms_signing_status_keys_are_reserved_and_resolved_by_key() {
        for key in [AWAITING_SIGNATURES_KEY, SIGNING_ENDED_KEY] {
            let mut list = standard_statuses();
            list.push(StatusDefinition { key: key.into(), ..list[0].clone() });
            assert_eq!(check_status_list(&list), Err(StatusListError::ReservedKey(key.into())));
            let found = find_status(&standard_statuses(), key).unwrap();
            assert_eq!(found.kind, StatusKind::AwaitingSignatures);
        }
        assert_eq!(find_status(&standard_statuses(), "inskickat").unwrap().kind, StatusKind::Submitted);
        assert_eq!(find_status(&standard_statuses(), "okand"), None);
    }

    #[test]
    fn kinds_round_trip_through_their_machine_names() {
        for k in StatusKind::ALL {
            assert_eq!(StatusKind::parse(k.as_str()), Some(k));
            assert_eq!(serde_json::to_value(k).unwrap(), serde_json::Value::String(k.as_str().into()));
        }
    }
}
