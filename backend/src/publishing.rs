//! What must hold before a version is published, as a checklist: the service's pages, privacy
//! notice, confirmation e-mail, handlers' mailbox and retention period, at least one handler,
//! valid statuses, a form that passes the definition check and fits the signing settings, and
//! English throughout if the service offers English (has an English name) (blocking); the name's length and
//! the analysis' findings (warnings). `POST …/publish` refuses while a blocking item fails; the
//! builder shows the whole list beforehand (`GET …/checklist`).

use shared::api::{ChecklistItem, FormVersionView, PublishChecklist, ServiceView};
use shared::naming::Advice;
use shared::validate::Localized;

use crate::error::{AppError, ErrorCode, Problems};
use crate::state::AppState;

fn item(key: &str, ok: bool, blocking: bool, sv: String, en: String) -> ChecklistItem {
    ChecklistItem { key: key.to_owned(), ok, blocking, words: Localized { sv, en } }
}

fn filled(s: &str) -> bool {
    !s.trim().is_empty()
}

/// The checklist of `version` of `service`.
pub async fn checklist(
    state: &AppState,
    service: &ServiceView,
    version: &FormVersionView,
) -> Result<PublishChecklist, AppError> {
    let handlers = crate::db::staff::handlers_on(&state.db, service.id).await?;
    let def = version.definition.clone();
    let (check, findings) = actix_web::web::block(move || {
        let check = def.check().err().map(|e| e.to_string());
        let findings = shared::analysis::findings(&def, shared::date::today());
        (check, findings)
    })
    .await
    .map_err(AppError::internal)?;
    let signing = service.signing.check_form(&version.definition).err().map(|e| e.to_string());
    let statuses = shared::status::check_status_list(&service.statuses).err().map(|e| e.to_string());
    // A service offers English when it has an English name (the English catalogue lists it so).
    let offers_english = service.english.name.is_some();
    let mut missing_english: Vec<String> =
        version.definition.untranslated().into_iter().map(|u| format!("{} ({})", u.at, u.what)).collect();
    let e = &service.english;
    for (name, text) in [
        ("name", &e.name),
        ("audience", &e.audience),
        ("first_page_text", &e.first_page_text),
        ("last_page_text", &e.last_page_text),
        ("privacy_text", &e.privacy_text),
        ("confirmation_email_subject_en", &service.confirmation_email_subject_en),
        ("confirmation_email_body_en", &service.confirmation_email_body_en),
    ] {
        if text.is_none() {
            missing_english.push(name.to_owned());
        }
    }
    let long_name = shared::naming::advice(&service.name).into_iter().find_map(|a| match a {
        Advice::Long { chars } => Some(chars),
        _ => None,
    });
    let mut items = vec![
        item(
            "first_page",
            filled(&service.first_page_text),
            true,
            "Första sidans text".into(),
            "The first page's text".into(),
        ),
        item(
            "last_page",
            filled(&service.last_page_text),
            true,
            "Sista sidans text".into(),
            "The last page's text".into(),
        ),
        item(
            "privacy_text",
            filled(&service.privacy_text),
            true,
            "Texten om personuppgifter".into(),
            "The privacy notice".into(),
        ),
        item(
            "confirmation_email",
            filled(&service.confirmation_email_subject) && filled(&service.confirmation_email_body),
            true,
            "Bekräftelsemejlet".into(),
            "The confirmation e-mail".into(),
        ),
        item(
            "handler_mailbox",
            filled(&service.handler_mailbox),
            true,
            "Handläggarnas funktionsbrevlåda".into(),
            "The handlers' shared mailbox".into(),
        ),
        item(
            "retention",
            service.retention_days_after_closing > 0,
            true,
            format!("Gallring {} dagar efter avslut", service.retention_days_after_closing),
            format!("Purge {} days after closing", service.retention_days_after_closing),
        ),
        if handlers.is_empty() {
            item(
                "handler",
                false,
                true,
                "Ingen handläggare har behörighet till tjänsten.".into(),
                "No handler is permitted on the service.".into(),
            )
        } else {
            item(
                "handler",
                true,
                true,
                format!("Handläggare: {}", handlers.len()),
                format!("Handlers: {}", handlers.len()),
            )
        },
        match statuses {
            None => item("statuses", true, true, "Statusarna".into(), "The statuses".into()),
            Some(e) => item("statuses", false, true, format!("Statusarna: {e}"), format!("The statuses: {e}")),
        },
        match check {
            None => item("definition", true, true, "Formuläret är giltigt".into(), "The form is valid".into()),
            Some(e) => item("definition", false, true, format!("Formuläret: {e}"), format!("The form: {e}")),
        },
        match signing {
            None => item(
                "signing",
                true,
                true,
                "Underskrifterna passar formuläret".into(),
                "The signing settings fit the form".into(),
            ),
            Some(e) => item("signing", false, true, format!("Underskrifterna: {e}"), format!("Signing: {e}")),
        },
    ];
    if offers_english {
        items.push(if missing_english.is_empty() {
            item("english", true, true, "Engelskan är komplett".into(), "The English is complete".into())
        } else {
            let list = missing_english.join(", ");
            item("english", false, true, format!("Engelska saknas: {list}"), format!("English is missing: {list}"))
        });
    }
    items.push(match long_name {
        None => item("name", true, false, "Namnet är kort".into(), "The name is short".into()),
        Some(chars) => item(
            "name",
            false,
            false,
            format!("Namnet är {chars} tecken långt: går det att korta?"),
            format!("The name is {chars} characters long: can it be shorter?"),
        ),
    });
    items.push(if findings.is_empty() {
        item("findings", true, false, "Analysen hittade inget".into(), "The analysis found nothing".into())
    } else {
        let list = findings.iter().map(|f| f.message.clone()).collect::<Vec<_>>().join(" ");
        item("findings", false, false, format!("Analysen: {list}"), format!("The analysis: {list}"))
    });
    let ready = items.iter().all(|i| i.ok || !i.blocking);
    Ok(PublishChecklist { version: version.version, ready, items })
}

/// `Ok` when every blocking item holds, else each failing one as a problem of one 422.
pub fn require_ready(checklist: &PublishChecklist) -> Result<(), AppError> {
    let mut p = Problems::default();
    for i in checklist.items.iter().filter(|i| i.blocking && !i.ok) {
        let words = i.words.en.trim_end_matches('.');
        p.add(&i.key, AppError::new(ErrorCode::NotReadyToPublish, format!("Not ready to publish: {words}.")));
    }
    p.finish()
}
