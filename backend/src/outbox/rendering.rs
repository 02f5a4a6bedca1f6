//! Rendering a queued mail when it is sent, with the templates as they are
//! then: the service's confirmation or a platform text (the private-link
//! variant for an anonymous applicant), the placeholders filled from the
//! item's [`Payload`], and the applicant's first name from the population
//! register (never for a protected identity).

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::events::{PLATFORM_TEMPLATES, SERVICE_CONFIRMATION, placeholders_of};
use crate::mail::OutgoingMail;
use crate::mail::template::{APPLICANT_PLACEHOLDERS, Placeholder, Template, Values};
use crate::state::AppState;

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
}
