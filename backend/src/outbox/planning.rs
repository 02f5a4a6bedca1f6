//! Planning an event's mails: [`queue`] (nothing when mail is off) and
//! [`plan`] make one outbox row per mail that has a recipient, each with its
//! own `Message-ID`, for the caller to store in its transaction.

use uuid::Uuid;

use super::events::{Event, MailSpec, To};
use super::language::Language;
use crate::db::outbox::NewItem;

/// The addresses an event's mails may go to.
#[derive(Debug, Clone, Default)]
pub struct Recipients {
    /// The applicant's contact address, when the form gave one.
    pub applicant: Option<String>,
    /// The service's functional mailbox.
    pub handler_mailbox: Option<String>,
    /// The co-signers' addresses (those who gave one).
    pub co_signers: Vec<String>,
}

/// The mails an event queues, none when mail is off: the one place that
/// decides whether and to whom mail goes. Every step that tells someone
/// something queues through here, in the transaction of the step.
pub fn queue(mail: &crate::mail::MailSettings, event: &Event, to: &Recipients, language: Language) -> Vec<NewItem> {
    if !mail.enabled {
        return Vec::new();
    }
    plan(event, to, language, &mail.message_id_domain())
}

/// The outbox rows for an event: one per mail that has a recipient. Staff
/// and co-signers' mails are in Swedish (a co-signer's language is not
/// known); the applicant's in `language`.
pub fn plan(event: &Event, to: &Recipients, language: Language, message_id_domain: &str) -> Vec<NewItem> {
    event
        .mails
        .iter()
        .flat_map(|m| {
            let (recipients, lang): (Vec<&String>, Language) = match m.to {
                To::Applicant => (to.applicant.iter().collect(), language),
                To::HandlerMailbox => (to.handler_mailbox.iter().collect(), Language::Sv),
                To::CoSigner => (to.co_signers.iter().collect(), Language::Sv),
            };
            recipients.into_iter().map(move |r| item(event, m, r.clone(), lang, message_id_domain))
        })
        .collect()
}

fn item(event: &Event, m: &MailSpec, recipient: String, lang: Language, message_id_domain: &str) -> NewItem {
    let id = Uuid::now_v7();
    NewItem {
        id,
        message_id: format!("<{}@{message_id_domain}>", id.simple()),
        event: event.key,
        template: m.template.key(),
        recipient,
        language: lang.as_str(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::mail::template::Template;
    use crate::outbox::events::{
        APPLICANT_NEW_DOCUMENT, CASE_SUBMITTED, CO_SIGNER_PLACEHOLDERS, CO_SIGNER_SIGNATURE_REQUESTED, DOCUMENT_ADDED,
        SIGNATURE_REQUESTED, SIGNING_ENDED,
    };

    #[test]
    fn a_submission_plans_the_confirmation_and_the_handler_notice_with_distinct_message_ids() {
        let to = Recipients {
            applicant: Some("tolvan@example.org".into()),
            handler_mailbox: Some("forskola@kommun.example.se".into()),
            ..Recipients::default()
        };
        let items = plan(&CASE_SUBMITTED, &to, Language::En, "kommun.example.se");
        assert_eq!(items.len(), 2);
        assert_eq!((items[0].recipient.as_str(), items[0].language), ("tolvan@example.org", "en"));
        assert_eq!((items[1].recipient.as_str(), items[1].language), ("forskola@kommun.example.se", "sv"));
        assert_eq!(items[1].template, "handler_new_case");
        assert_ne!(items[0].message_id, items[1].message_id);
        assert!(items[0].message_id.starts_with('<') && items[0].message_id.ends_with("@kommun.example.se>"));
    }

    #[test]
    fn without_an_applicant_address_only_the_handlers_are_told() {
        let to = Recipients { handler_mailbox: Some("forskola@kommun.example.se".into()), ..Recipients::default() };
        let items = plan(&CASE_SUBMITTED, &to, Language::Sv, "kommun.example.se");
        assert_eq!(items.len(), 1);
        assert_eq!(items[0].template, "handler_new_case");
    }

    #[test]
    fn a_new_document_tells_the_applicant_only_and_not_what_it_is() {
        let to = Recipients {
            applicant: Some("tolvan@example.org".into()),
            handler_mailbox: Some("forskola@kommun.example.se".into()),
            ..Recipients::default()
        };
        let items = plan(&DOCUMENT_ADDED, &to, Language::Sv, "kommun.example.se");
        assert_eq!(items.len(), 1);
        assert_eq!((items[0].recipient.as_str(), items[0].template), ("tolvan@example.org", "applicant_new_document"));
        for text in [APPLICANT_NEW_DOCUMENT.body_sv, APPLICANT_NEW_DOCUMENT.body_en] {
            assert!(!text.contains("{{first_name}}") && !text.to_lowercase().contains("beslut"), "{text}");
        }
    }

    #[test]
    fn a_co_signer_is_told_only_where_to_log_in_and_the_applicant_only_that_the_application_was_not_sent() {
        let co_signers = Recipients {
            co_signers: vec!["b@example.org".to_string(), "c@example.org".to_string()],
            ..Recipients::default()
        };
        let items = plan(&SIGNATURE_REQUESTED, &co_signers, Language::Sv, "kommun.example.se");
        assert_eq!(items.len(), 2);
        assert_eq!(
            (items[0].recipient.as_str(), items[0].template),
            ("b@example.org", "co_signer_signature_requested")
        );
        assert_ne!(items[0].message_id, items[1].message_id);
        // The co-signer event sends nothing to the applicant and the handlers.
        let to = Recipients {
            applicant: Some("a@example.org".into()),
            handler_mailbox: Some("h@example.org".into()),
            ..Recipients::default()
        };
        assert!(plan(&SIGNATURE_REQUESTED, &to, Language::Sv, "kommun.example.se").is_empty());
        for text in [CO_SIGNER_SIGNATURE_REQUESTED.body_sv, CO_SIGNER_SIGNATURE_REQUESTED.body_en] {
            assert!(Template::parse(text, CO_SIGNER_PLACEHOLDERS).is_ok(), "{text}");
            assert!(!text.contains("{{first_name}}") && !text.contains("{{case_reference}}"), "{text}");
        }
        assert!(Template::parse("{{first_name}}", CO_SIGNER_PLACEHOLDERS).is_err());
        let ended = plan(&SIGNING_ENDED, &to, Language::En, "kommun.example.se");
        assert_eq!(ended.len(), 1);
        assert_eq!((ended[0].recipient.as_str(), ended[0].language), ("a@example.org", "en"));
    }
}
