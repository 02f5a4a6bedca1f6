//! Statuses in words, for every app: a status's name in both languages (a service names its
//! statuses in Swedish, in English only if it wants to), whether a case counts as closed, and
//! what a status means for the applicant, by its *kind* (never its name); and a co-signer's
//! request's state.

use shared::StatusKind;
use shared::api::CaseStatus;
use shared::signing::SignatureState;
use shared::status::SIGNING_ENDED_KEY;
use shared::validate::Localized;

use crate::common::i18n::is_en;

/// Whether a case counts as closed (Mina sidor's "Avslutade" tab) rather than ongoing: closed, or
/// never submitted because its signing ended without every signature.
pub fn is_closed(status: &CaseStatus) -> bool {
    status.kind == StatusKind::Closed || status.key == SIGNING_ENDED_KEY
}

/// What the date of a case on Min sida is: when it was sent — or, for an application still
/// waiting for its co-signers (or never sent for want of them), when the applicant signed it:
/// such a case is not "Skickad".
pub fn sent_label(status: &CaseStatus) -> (&'static str, &'static str) {
    if status.kind == StatusKind::AwaitingSignatures || status.key == SIGNING_ENDED_KEY {
        ("Du skrev under", "You signed")
    } else {
        ("Skickad", "Sent")
    }
}

/// What a case's status means for the applicant, in plain words (by its kind; a signing that
/// ended without every signature has its own words).
pub fn status_explanation_of(status: &CaseStatus) -> (&'static str, &'static str) {
    if status.key == SIGNING_ENDED_KEY {
        return (
            "Ansökan skickades inte in, eftersom någon avböjde att skriva under eller inte skrev under i tid.",
            "The application was not sent, because someone declined to sign or did not sign in time.",
        );
    }
    status_explanation(status.kind)
}

/// A status's name in both languages (the English one falls back to the Swedish).
pub fn status_name(status: &CaseStatus) -> Localized {
    Localized { sv: status.name.clone(), en: status.name_en.clone().unwrap_or_else(|| status.name.clone()) }
}

/// The `lang` of a status's name where it is shown: Swedish when the service gave no English
/// name (the Swedish one is shown in English too).
pub fn status_name_lang(status: &CaseStatus) -> Option<&'static str> {
    status.name_en.is_none().then_some("sv")
}

/// A status's name in the current language (reactive), from its Swedish and English names.
pub fn name_now(name: &str, name_en: Option<&str>) -> String {
    match (name_en, is_en()) {
        (Some(en), true) => en.to_owned(),
        _ => name.to_owned(),
    }
}

/// A case's status's name in the current language (reactive).
pub fn status_name_now(status: &CaseStatus) -> String {
    name_now(&status.name, status.name_en.as_deref())
}

/// What a status means for the applicant, in plain words, by its kind.
pub fn status_explanation(kind: StatusKind) -> (&'static str, &'static str) {
    match kind {
        StatusKind::Draft => ("Ärendet är inte inskickat än.", "The case has not been sent yet."),
        StatusKind::AwaitingSignatures => {
            ("Ärendet väntar på att alla ska skriva under.", "The case is waiting for everyone to sign.")
        }
        StatusKind::Submitted => (
            "Vi har tagit emot ärendet. Det väntar på att registreras.",
            "We have received the case. It is waiting to be registered.",
        ),
        StatusKind::Registered => (
            "Ärendet är registrerat och väntar på en handläggare.",
            "The case is registered and waiting for a case officer.",
        ),
        StatusKind::InProgress => ("En handläggare arbetar med ärendet.", "A case officer is working on the case."),
        StatusKind::AwaitingSupplement => (
            "Handläggaren behöver mer uppgifter från dig. Öppna ärendet för att komplettera.",
            "The case officer needs more information from you. Open the case to add it.",
        ),
        StatusKind::Closed => ("Ärendet är avslutat.", "The case is closed."),
    }
}

/// A co-signer's request's state in words.
pub fn request_state_text(state: SignatureState) -> (&'static str, &'static str) {
    match state {
        SignatureState::Pending => ("Väntar på din underskrift", "Waiting for your signature"),
        SignatureState::Signed => ("Du har skrivit under", "You have signed"),
        SignatureState::Declined => ("Du har avböjt", "You have declined"),
        SignatureState::Expired => ("Tiden för att skriva under har gått ut", "The time to sign has run out"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_a_closed_kind_counts_as_closed() {
        let status = |kind| CaseStatus { key: "x".into(), name: "X".into(), name_en: None, kind };
        assert!(is_closed(&status(StatusKind::Closed)));
        for kind in StatusKind::ALL.into_iter().filter(|k| *k != StatusKind::Closed) {
            assert!(!is_closed(&status(kind)), "{kind:?}");
        }
    }

    #[test]
    fn a_signing_that_ended_without_every_signature_counts_as_closed_and_says_why() {
        let ended = shared::status::signing_ended_status();
        let ended = CaseStatus { key: ended.key, name: ended.name, name_en: ended.name_en, kind: ended.kind };
        assert!(is_closed(&ended));
        assert!(status_explanation_of(&ended).0.starts_with("Ansökan skickades inte in"));
        let awaiting = shared::status::awaiting_signatures_status(&[]);
        let awaiting = CaseStatus { key: awaiting.key, name: awaiting.name, name_en: None, kind: awaiting.kind };
        assert!(!is_closed(&awaiting), "a case waiting for signatures is ongoing");
        assert_eq!(sent_label(&awaiting), ("Du skrev under", "You signed"), "not \"Skickad\" before it is sent");
        assert_eq!(status_explanation_of(&awaiting), status_explanation(StatusKind::AwaitingSignatures));
    }
}
