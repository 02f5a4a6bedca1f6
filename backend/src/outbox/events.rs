//! The events that send mail and the platform's mail texts: each [`Event`]
//! lists its mails ([`MailSpec`]: to whom, with which template), each
//! [`PlatformTemplate`] its Swedish and English subject and body, and
//! [`placeholders_of`] which placeholders a template's reader may be shown.

use crate::mail::template::{APPLICANT_PLACEHOLDERS, Placeholder, STAFF_PLACEHOLDERS};

/// Who a mail goes to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum To {
    /// The applicant, at the contact address the form gave (if any).
    Applicant,
    /// The service's functional mailbox for handlers.
    HandlerMailbox,
    /// A co-signer asked to sign an application, at the address the applicant gave. Their mail
    /// names neither the applicant nor anything of the application: only the service and Min sida.
    CoSigner,
}

/// The text of a platform mail, in Swedish and English.
#[derive(Debug)]
pub struct PlatformTemplate {
    /// Stored with the item to find the text again.
    pub key: &'static str,
    /// Swedish subject.
    pub subject_sv: &'static str,
    /// Swedish body.
    pub body_sv: &'static str,
    /// English subject.
    pub subject_en: &'static str,
    /// English body.
    pub body_en: &'static str,
    /// Whether staff or the applicant reads it (which placeholders it may use).
    pub to_staff: bool,
    /// The Swedish and English bodies for an anonymous applicant, who follows the case through
    /// a private link (`{{min_sida_link}}` is that link) instead of Min sida; empty for mails
    /// that never go to one.
    pub link_body: (&'static str, &'static str),
}

/// Which template renders a mail.
#[derive(Debug, Clone, Copy)]
pub enum TemplateRef {
    /// The service owner's confirmation e-mail.
    ServiceConfirmation,
    /// A platform text.
    Platform(&'static PlatformTemplate),
}

impl TemplateRef {
    pub(super) fn key(self) -> &'static str {
        match self {
            Self::ServiceConfirmation => SERVICE_CONFIRMATION,
            Self::Platform(t) => t.key,
        }
    }
}

/// A mail an event sends.
#[derive(Debug, Clone, Copy)]
pub struct MailSpec {
    /// The recipient.
    pub to: To,
    /// The template.
    pub template: TemplateRef,
}

/// Something that happened and the mails it sends.
#[derive(Debug)]
pub struct Event {
    /// Stored with each item, e.g. `case_submitted`.
    pub key: &'static str,
    /// The mails.
    pub mails: &'static [MailSpec],
}

pub(super) const SERVICE_CONFIRMATION: &str = "service_confirmation";

/// The handlers' notice of a new case.
pub const HANDLER_NEW_CASE: PlatformTemplate = PlatformTemplate {
    key: "handler_new_case",
    subject_sv: "Nytt ärende {{case_reference}}: {{service_name}}",
    body_sv: "Ett nytt ärende har kommit in i e-tjänsten {{service_name}}.\n\nÄrende: {{case_reference}}\nInskickat: {{submitted_date}}\n\nÖppna ärendet (inloggning krävs):\n{{case_link}}\n\nDet här meddelandet skickas automatiskt och innehåller inga uppgifter ur ärendet.",
    subject_en: "New case {{case_reference}}: {{service_name}}",
    body_en: "A new case has arrived in the e-service {{service_name}}.\n\nCase: {{case_reference}}\nSubmitted: {{submitted_date}}\n\nOpen the case (login required):\n{{case_link}}\n\nThis message is sent automatically and contains no details of the case.",
    to_staff: true,
    link_body: ("", ""),
};

/// The applicant's notice of a new message from the handlers.
pub const APPLICANT_NEW_MESSAGE: PlatformTemplate = PlatformTemplate {
    key: "applicant_new_message",
    subject_sv: "Nytt meddelande om ditt ärende {{case_reference}}",
    body_sv: "Du har fått ett nytt meddelande om ditt ärende {{case_reference}} i e-tjänsten {{service_name}}.\n\nLogga in på Min sida för att läsa det:\n{{min_sida_link}}\n\nDet här meddelandet skickas automatiskt. Svara inte på det.",
    subject_en: "New message about your case {{case_reference}}",
    body_en: "You have a new message about your case {{case_reference}} in the e-service {{service_name}}.\n\nLog in to My pages to read it:\n{{min_sida_link}}\n\nThis message is sent automatically. Please do not reply.",
    to_staff: false,
    link_body: (
        "Du har fått ett nytt meddelande om ditt ärende {{case_reference}} i e-tjänsten {{service_name}}.\n\nLäs och svara på det med din personliga länk till ärendet (dela den inte med någon):\n{{min_sida_link}}\n\nDet här meddelandet skickas automatiskt. Svara inte på det.",
        "You have a new message about your case {{case_reference}} in the e-service {{service_name}}.\n\nRead and answer it with your personal link to the case (do not share it with anyone):\n{{min_sida_link}}\n\nThis message is sent automatically. Please do not reply.",
    ),
};

/// The handlers' notice of a new message from the applicant.
pub const HANDLER_NEW_MESSAGE: PlatformTemplate = PlatformTemplate {
    key: "handler_new_message",
    subject_sv: "Nytt meddelande i ärende {{case_reference}}: {{service_name}}",
    body_sv: "Sökanden har skickat ett nytt meddelande i ärende {{case_reference}} ({{service_name}}).\n\nÖppna ärendet (inloggning krävs):\n{{case_link}}",
    subject_en: "New message in case {{case_reference}}: {{service_name}}",
    body_en: "The applicant has sent a new message in case {{case_reference}} ({{service_name}}).\n\nOpen the case (login required):\n{{case_link}}",
    to_staff: true,
    link_body: ("", ""),
};

/// The applicant's notice that their case changed status.
pub const APPLICANT_STATUS_CHANGED: PlatformTemplate = PlatformTemplate {
    key: "applicant_status_changed",
    subject_sv: "Ditt ärende {{case_reference}} har uppdaterats",
    body_sv: "Ditt ärende {{case_reference}} i e-tjänsten {{service_name}} har fått en ny status.\n\nLogga in på Min sida för att se vad som har hänt:\n{{min_sida_link}}\n\nDet här meddelandet skickas automatiskt. Svara inte på det.",
    subject_en: "Your case {{case_reference}} has been updated",
    body_en: "Your case {{case_reference}} in the e-service {{service_name}} has a new status.\n\nLog in to My pages to see what has happened:\n{{min_sida_link}}\n\nThis message is sent automatically. Please do not reply.",
    to_staff: false,
    link_body: (
        "Ditt ärende {{case_reference}} i e-tjänsten {{service_name}} har fått en ny status.\n\nÖppna ärendet med din personliga länk (dela den inte med någon):\n{{min_sida_link}}\n\nDet här meddelandet skickas automatiskt. Svara inte på det.",
        "Your case {{case_reference}} in the e-service {{service_name}} has a new status.\n\nOpen the case with your personal link (do not share it with anyone):\n{{min_sida_link}}\n\nThis message is sent automatically. Please do not reply.",
    ),
};

/// The applicant's notice that a handler asks for a supplement.
pub const APPLICANT_SUPPLEMENT_REQUESTED: PlatformTemplate = PlatformTemplate {
    key: "applicant_supplement_requested",
    subject_sv: "Komplettera ditt ärende {{case_reference}}",
    body_sv: "Handläggaren behöver fler uppgifter i ditt ärende {{case_reference}} i e-tjänsten {{service_name}}.\n\nLogga in på Min sida för att se vad som behövs och komplettera:\n{{min_sida_link}}\n\nDet här meddelandet skickas automatiskt. Svara inte på det.",
    subject_en: "Please supplement your case {{case_reference}}",
    body_en: "The case officer needs more information in your case {{case_reference}} in the e-service {{service_name}}.\n\nLog in to My pages to see what is needed and supplement it:\n{{min_sida_link}}\n\nThis message is sent automatically. Please do not reply.",
    to_staff: false,
    link_body: (
        "Handläggaren behöver fler uppgifter i ditt ärende {{case_reference}} i e-tjänsten {{service_name}}.\n\nÖppna ärendet med din personliga länk (dela den inte med någon):\n{{min_sida_link}}\n\nDet här meddelandet skickas automatiskt. Svara inte på det.",
        "The case officer needs more information in your case {{case_reference}} in the e-service {{service_name}}.\n\nOpen the case with your personal link (do not share it with anyone):\n{{min_sida_link}}\n\nThis message is sent automatically. Please do not reply.",
    ),
};

/// The handlers' notice that the applicant has supplemented a case.
pub const HANDLER_SUPPLEMENT_RECEIVED: PlatformTemplate = PlatformTemplate {
    key: "handler_supplement_received",
    subject_sv: "Komplettering i ärende {{case_reference}}: {{service_name}}",
    body_sv: "Sökanden har kompletterat ärende {{case_reference}} ({{service_name}}).\n\nÖppna ärendet (inloggning krävs):\n{{case_link}}",
    subject_en: "Supplement in case {{case_reference}}: {{service_name}}",
    body_en: "The applicant has supplemented case {{case_reference}} ({{service_name}}).\n\nOpen the case (login required):\n{{case_link}}",
    to_staff: true,
    link_body: ("", ""),
};

/// The applicant's notice of a new decision or document on their case. It
/// names neither the document nor its kind: only that there is something to read.
pub const APPLICANT_NEW_DOCUMENT: PlatformTemplate = PlatformTemplate {
    key: "applicant_new_document",
    subject_sv: "Nytt dokument i ditt ärende {{case_reference}}",
    body_sv: "Det finns ett nytt dokument i ditt ärende {{case_reference}} i e-tjänsten {{service_name}}.\n\nLogga in på Min sida för att läsa det:\n{{min_sida_link}}\n\nDet här meddelandet skickas automatiskt. Svara inte på det.",
    subject_en: "New document in your case {{case_reference}}",
    body_en: "There is a new document in your case {{case_reference}} in the e-service {{service_name}}.\n\nLog in to My pages to read it:\n{{min_sida_link}}\n\nThis message is sent automatically. Please do not reply.",
    to_staff: false,
    link_body: (
        "Det finns ett nytt dokument i ditt ärende {{case_reference}} i e-tjänsten {{service_name}}.\n\nÖppna ärendet med din personliga länk (dela den inte med någon):\n{{min_sida_link}}\n\nDet här meddelandet skickas automatiskt. Svara inte på det.",
        "There is a new document in your case {{case_reference}} in the e-service {{service_name}}.\n\nOpen the case with your personal link (do not share it with anyone):\n{{min_sida_link}}\n\nThis message is sent automatically. Please do not reply.",
    ),
};

/// A co-signer's notice that they are asked to sign an application. No name, no
/// personnummer, no case content, not even the reference: only where to log in.
pub const CO_SIGNER_SIGNATURE_REQUESTED: PlatformTemplate = PlatformTemplate {
    key: "co_signer_signature_requested",
    subject_sv: "Du har ombetts att skriva under en ansökan",
    body_sv: "Du har ombetts att skriva under en ansökan i e-tjänsten {{service_name}}.\n\nLogga in på Min sida för att se vad du ombeds skriva under:\n{{min_sida_link}}\n\nDet här meddelandet skickas automatiskt. Svara inte på det.",
    subject_en: "You have been asked to sign an application",
    body_en: "You have been asked to sign an application in the e-service {{service_name}}.\n\nLog in to My pages to see what you are asked to sign:\n{{min_sida_link}}\n\nThis message is sent automatically. Please do not reply.",
    to_staff: false,
    link_body: ("", ""),
};

/// The applicant's notice that their application was not submitted (a co-signer
/// declined, or the deadline passed). It says neither who nor why.
pub const APPLICANT_SIGNING_ENDED: PlatformTemplate = PlatformTemplate {
    key: "applicant_signing_ended",
    subject_sv: "Din ansökan {{case_reference}} har inte skickats in",
    body_sv: "Din ansökan {{case_reference}} i e-tjänsten {{service_name}} har inte skickats in, eftersom alla underskrifter inte kom in.\n\nLogga in på Min sida för att se vad som har hänt:\n{{min_sida_link}}\n\nDet här meddelandet skickas automatiskt. Svara inte på det.",
    subject_en: "Your application {{case_reference}} has not been submitted",
    body_en: "Your application {{case_reference}} in the e-service {{service_name}} has not been submitted, because not every signature arrived.\n\nLog in to My pages to see what has happened:\n{{min_sida_link}}\n\nThis message is sent automatically. Please do not reply.",
    to_staff: false,
    link_body: ("", ""),
};

/// The placeholders a co-signer's mail may use: it is not their case, so no reference, date
/// or first name (the applicant's).
pub const CO_SIGNER_PLACEHOLDERS: &[Placeholder] = &[Placeholder::ServiceName, Placeholder::MinSidaLink];

/// The placeholders a platform template may use, by who reads it.
pub fn placeholders_of(t: &PlatformTemplate) -> &'static [Placeholder] {
    if t.to_staff {
        STAFF_PLACEHOLDERS
    } else if t.key == CO_SIGNER_SIGNATURE_REQUESTED.key {
        CO_SIGNER_PLACEHOLDERS
    } else {
        APPLICANT_PLACEHOLDERS
    }
}

/// Every platform template, for the worker to find by key.
pub const PLATFORM_TEMPLATES: &[&PlatformTemplate] = &[
    &HANDLER_NEW_CASE,
    &APPLICANT_NEW_MESSAGE,
    &HANDLER_NEW_MESSAGE,
    &APPLICANT_STATUS_CHANGED,
    &APPLICANT_SUPPLEMENT_REQUESTED,
    &HANDLER_SUPPLEMENT_RECEIVED,
    &APPLICANT_NEW_DOCUMENT,
    &CO_SIGNER_SIGNATURE_REQUESTED,
    &APPLICANT_SIGNING_ENDED,
];

/// A case was submitted: the applicant's confirmation and the handlers' notice.
pub const CASE_SUBMITTED: Event = Event {
    key: "case_submitted",
    mails: &[
        MailSpec { to: To::Applicant, template: TemplateRef::ServiceConfirmation },
        MailSpec { to: To::HandlerMailbox, template: TemplateRef::Platform(&HANDLER_NEW_CASE) },
    ],
};

/// A handler wrote to the applicant.
pub const MESSAGE_TO_APPLICANT: Event = Event {
    key: "message_to_applicant",
    mails: &[MailSpec { to: To::Applicant, template: TemplateRef::Platform(&APPLICANT_NEW_MESSAGE) }],
};

/// The applicant wrote to the handlers.
pub const MESSAGE_TO_HANDLERS: Event = Event {
    key: "message_to_handlers",
    mails: &[MailSpec { to: To::HandlerMailbox, template: TemplateRef::Platform(&HANDLER_NEW_MESSAGE) }],
};

/// A handler moved the case to a status that tells the applicant.
pub const STATUS_CHANGED: Event = Event {
    key: "status_changed",
    mails: &[MailSpec { to: To::Applicant, template: TemplateRef::Platform(&APPLICANT_STATUS_CHANGED) }],
};

/// A handler asked the applicant for a supplement.
pub const SUPPLEMENT_REQUESTED: Event = Event {
    key: "supplement_requested",
    mails: &[MailSpec { to: To::Applicant, template: TemplateRef::Platform(&APPLICANT_SUPPLEMENT_REQUESTED) }],
};

/// The applicant supplemented the case.
pub const SUPPLEMENT_RECEIVED: Event = Event {
    key: "supplement_received",
    mails: &[MailSpec { to: To::HandlerMailbox, template: TemplateRef::Platform(&HANDLER_SUPPLEMENT_RECEIVED) }],
};

/// A handler attached a decision or another document the applicant sees.
pub const DOCUMENT_ADDED: Event = Event {
    key: "document_added",
    mails: &[MailSpec { to: To::Applicant, template: TemplateRef::Platform(&APPLICANT_NEW_DOCUMENT) }],
};

/// The applicant signed and co-signers must sign too: each co-signer with an address is told.
pub const SIGNATURE_REQUESTED: Event = Event {
    key: "signature_requested",
    mails: &[MailSpec { to: To::CoSigner, template: TemplateRef::Platform(&CO_SIGNER_SIGNATURE_REQUESTED) }],
};

/// A co-signer declined, or the deadline passed: the application was not submitted.
pub const SIGNING_ENDED: Event = Event {
    key: "signing_ended",
    mails: &[MailSpec { to: To::Applicant, template: TemplateRef::Platform(&APPLICANT_SIGNING_ENDED) }],
};

#[cfg(test)]
mod tests {
    use super::*;
    use crate::mail::template::Template;

    #[test]
    fn every_platform_template_parses_with_the_placeholders_of_its_reader() {
        for t in PLATFORM_TEMPLATES {
            let allowed = placeholders_of(t);
            for text in [t.subject_sv, t.body_sv, t.subject_en, t.body_en] {
                assert!(Template::parse(text, allowed).is_ok(), "{}: {text}", t.key);
            }
        }
    }
}
