//! E-mail that is never lost.
//!
//! A change that should send mail queues it in the **same transaction**
//! ([`plan`] makes the rows, `db::outbox::insert` or the submission statement
//! stores them); the [`worker`] delivers them later with retries. What a mail
//! says is decided by an [`Event`]: who gets it and with which template.
//! Adding an event is one `const` here and a call to [`plan`] where it happens.
//!
//! Privacy: a mail says that something happened and links to the logged-in
//! view. Templates can insert only the [`Placeholder`]s (service name,
//! reference, date, links, first name) — never answers, personnummer or
//! message content — and the first name is left out for a protected identity.

pub mod worker;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::db::outbox::NewItem;
use crate::mail::OutgoingMail;
use crate::mail::template::{APPLICANT_PLACEHOLDERS, Placeholder, STAFF_PLACEHOLDERS, Template, Values};
use crate::state::AppState;

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
    fn key(self) -> &'static str {
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

const SERVICE_CONFIRMATION: &str = "service_confirmation";

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

/// The language of an applicant's mail.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Language {
    /// Swedish (the default).
    #[default]
    Sv,
    /// English.
    En,
}

impl Language {
    /// From a stored `sv`/`en` (Swedish for anything else).
    pub fn parse(s: Option<&str>) -> Self {
        if s == Some("en") { Self::En } else { Self::Sv }
    }

    /// `sv` or `en`.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Sv => "sv",
            Self::En => "en",
        }
    }

    /// The language a request's `Accept-Language` header prefers.
    fn of_request(req: &actix_web::HttpRequest) -> Self {
        Self::from_accept_language(
            req.headers().get(actix_web::http::header::ACCEPT_LANGUAGE).and_then(|v| v.to_str().ok()),
        )
    }

    /// From an `Accept-Language` header: English when it is preferred over Swedish.
    pub fn from_accept_language(header: Option<&str>) -> Self {
        let Some(h) = header else { return Self::Sv };
        let mut best: Option<(f32, Self)> = None;
        for part in h.split(',') {
            let mut it = part.trim().split(';');
            let tag = it.next().unwrap_or("").trim().to_ascii_lowercase();
            let q = it.find_map(|p| p.trim().strip_prefix("q=").and_then(|q| q.parse::<f32>().ok())).unwrap_or(1.0);
            let lang = match tag.split('-').next() {
                Some("sv") => Self::Sv,
                Some("en") => Self::En,
                _ => continue,
            };
            if best.is_none_or(|(bq, _)| q > bq) {
                best = Some((q, lang));
            }
        }
        best.map(|(_, l)| l).unwrap_or(Self::Sv)
    }
}

/// The language of the request's mails, from `Accept-Language`: an extractor.
impl actix_web::FromRequest for Language {
    type Error = std::convert::Infallible;
    type Future = std::future::Ready<Result<Self, Self::Error>>;

    fn from_request(req: &actix_web::HttpRequest, _: &mut actix_web::dev::Payload) -> Self::Future {
        std::future::ready(Ok(Self::of_request(req)))
    }
}

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

/// What an item's rendering needs besides the service: stored as the item's payload.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct Payload {
    /// The case reference.
    pub reference: String,
    /// When the case was submitted.
    pub submitted_at: DateTime<Utc>,
}

/// Why an item cannot be rendered (it is then dead-lettered: retrying would not help).
#[derive(Debug, thiserror::Error)]
pub enum RenderError {
    /// The item names a template that does not exist (any more).
    #[error("unknown template '{0}'")]
    UnknownTemplate(String),
    /// The service is gone.
    #[error("the service of this mail no longer exists")]
    ServiceGone,
    /// A stored template no longer parses.
    #[error("the template does not parse: {0}")]
    Template(String),
    /// The payload is not what was stored.
    #[error("the payload is not valid: {0}")]
    Payload(String),
    /// The database failed (retry).
    #[error("database: {0}")]
    Db(#[from] crate::db::DbErr),
}

/// The path of a case in the handlers' view of the SPA.
pub fn handler_case_path(reference: &str) -> String {
    format!("/handlaggning/arenden/{reference}")
}

/// The path of Min sida.
pub const MIN_SIDA_PATH: &str = "/mina-sidor";

/// Renders a queued item with the templates as they are now.
pub async fn render(state: &AppState, item: &crate::db::entity::outbox::Model) -> Result<OutgoingMail, RenderError> {
    let payload: Payload =
        serde_json::from_value(item.payload.clone()).map_err(|e| RenderError::Payload(e.to_string()))?;
    let service_id = item.service_id.ok_or(RenderError::ServiceGone)?;
    let service = crate::db::services::get_by_id(&state.db, service_id).await?.ok_or(RenderError::ServiceGone)?;
    let en = item.language == "en";
    let platform = if item.template == SERVICE_CONFIRMATION {
        None
    } else {
        Some(
            PLATFORM_TEMPLATES
                .iter()
                .find(|t| t.key == item.template)
                .ok_or_else(|| RenderError::UnknownTemplate(item.template.clone()))?,
        )
    };
    // The case an applicant's mail is about, read once: its private link (an anonymous
    // applicant's mails link there instead of Min sida) and its applicant's first name.
    let case = match item.case_id {
        Some(id) if platform.is_none_or(|t| !t.to_staff) => crate::db::cases::find_by_id(&state.db, id).await?,
        _ => None,
    };
    let link = case.as_ref().filter(|c| c.follow_link_active());
    let (subject, body, allowed) = if let Some(t) = platform {
        let allowed = placeholders_of(t);
        let (link_sv, link_en) = t.link_body;
        let by_link = link.is_some() && !link_sv.is_empty();
        match (en, by_link) {
            (true, true) => (t.subject_en.to_string(), link_en.to_string(), allowed),
            (true, false) => (t.subject_en.to_string(), t.body_en.to_string(), allowed),
            (false, true) => (t.subject_sv.to_string(), link_sv.to_string(), allowed),
            (false, false) => (t.subject_sv.to_string(), t.body_sv.to_string(), allowed),
        }
    } else {
        let subject = en.then_some(service.confirmation_email_subject_en.clone()).flatten();
        let body = en.then_some(service.confirmation_email_body_en.clone()).flatten();
        (
            subject.unwrap_or_else(|| service.confirmation_email_subject.clone()),
            body.unwrap_or_else(|| service.confirmation_email_body.clone()),
            APPLICANT_PLACEHOLDERS,
        )
    };
    let first_name = if subject.contains("first_name") || body.contains("first_name") {
        first_name(state, case.as_ref()).await
    } else {
        String::new()
    };
    // "Hej {{first_name}}," without a name reads "Hej!", never "Hej ,".
    let (subject, body) = if first_name.is_empty() {
        (greeting_without_name(&subject), greeting_without_name(&body))
    } else {
        (subject, body)
    };
    let subject = Template::parse(&subject, allowed).map_err(|e| RenderError::Template(e.to_string()))?;
    let body = Template::parse(&body, allowed).map_err(|e| RenderError::Template(e.to_string()))?;
    let base = state.public_url.trim_end_matches('/');
    let follow = link.as_ref().map(|c| state.follow_links.url(base, &c.reference, c.id));
    let mut values = Values::default();
    values
        .set(Placeholder::ServiceName, service.name.clone())
        .set(Placeholder::CaseReference, payload.reference.clone())
        .set(Placeholder::SubmittedDate, payload.submitted_at.format("%Y-%m-%d").to_string())
        .set(Placeholder::MinSidaLink, follow.unwrap_or_else(|| format!("{base}{MIN_SIDA_PATH}")))
        .set(Placeholder::CaseLink, format!("{base}{}", handler_case_path(&payload.reference)))
        .set(Placeholder::FirstName, first_name);
    Ok(OutgoingMail {
        message_id: item.message_id.clone(),
        to: item.recipient.clone(),
        subject: subject.render_line(&values),
        text: body.render_text(&values),
        html: body.render_html(&values),
    })
}

/// A template's greeting made whole without a name: a line that is a word and
/// `{{first_name}}` (with or without a comma or `!` after it) becomes the word
/// and `!` ("Hej {{first_name}}," reads "Hej!"); anywhere else the placeholder
/// and the space before it go.
pub fn greeting_without_name(text: &str) -> String {
    let placeholder = |s: &str| {
        let s = s.trim();
        s.strip_prefix("{{").and_then(|r| r.strip_suffix("}}")).is_some_and(|p| p.trim() == "first_name")
    };
    text.split('\n')
        .map(|line| {
            let trimmed = line.trim_end().trim_end_matches([',', '!', '.']);
            match trimmed.split_once(' ') {
                Some((word, rest)) if placeholder(rest) && !word.is_empty() => format!("{word}!"),
                _ => {
                    let mut out = line.to_string();
                    for form in [" {{first_name}}", " {{ first_name }}", "{{first_name}}", "{{ first_name }}"] {
                        out = out.replace(form, "");
                    }
                    out
                }
            }
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// The applicant's first name (tilltalsnamn, else the first given name) from
/// the population register; empty for an anonymous case, an unknown person,
/// a **protected identity**, or when the register does not answer.
async fn first_name(state: &AppState, case: Option<&crate::db::cases::CaseRecord>) -> String {
    let Some(pnr) = case.and_then(|c| c.applicant_personnummer.as_deref()) else { return String::new() };
    let Ok(pnr) = shared::Personnummer::parse(pnr) else { return String::new() };
    match state.population_register.lookup(&pnr).await {
        Ok(Some(person)) if !person.is_protected() => {
            let name = person.name();
            name.tilltalsnamn
                .clone()
                .or_else(|| name.given_names.split_whitespace().next().map(str::to_string))
                .unwrap_or_default()
        }
        _ => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_greeting_without_a_name_reads_hej_and_a_name_elsewhere_leaves_no_gap() {
        assert_eq!(greeting_without_name("Hej {{first_name}}\n\nVi har fått det."), "Hej!\n\nVi har fått det.");
        assert_eq!(greeting_without_name("Hej {{ first_name }},"), "Hej!");
        assert_eq!(greeting_without_name("Hello {{first_name}}!"), "Hello!");
        assert_eq!(greeting_without_name("Tack {{first_name}} för ditt ärende."), "Tack för ditt ärende.");
        assert_eq!(greeting_without_name("Ärende {{case_reference}}"), "Ärende {{case_reference}}");
    }

    #[test]
    fn english_is_chosen_only_when_the_client_prefers_it_to_swedish() {
        assert_eq!(Language::from_accept_language(None), Language::Sv);
        assert_eq!(Language::from_accept_language(Some("en")), Language::En);
        assert_eq!(Language::from_accept_language(Some("en-GB,en;q=0.9")), Language::En);
        assert_eq!(Language::from_accept_language(Some("sv-SE,sv;q=0.9,en;q=0.8")), Language::Sv);
        assert_eq!(Language::from_accept_language(Some("sv;q=0.5,en;q=0.8")), Language::En);
        assert_eq!(Language::from_accept_language(Some("de,fr")), Language::Sv);
    }

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
