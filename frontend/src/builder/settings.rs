//! A service's settings as a form, for creating a service and for changing one: the name with
//! the checklist's guidance while it is typed (short, not starting with "Ansökan" or
//! "Anmälan", with the reason and a suggestion) and the question "who is the service for?"
//! right beside it, the first and last page, the privacy notice, the confirmation e-mail, the
//! handlers' mailbox, e-ID or anonymous, and the retention period. The statuses, signing and
//! English texts the service has are kept as they are. Every problem the server finds is listed
//! at once, each naming its setting.

use leptos::prelude::*;
use shared::api::{IdentityRequirement, ServiceInput};
use shared::naming::{Advice, LONG_NAME, NAME_CHARS};

use crate::common::api::FetchError;
use crate::common::i18n::{is_en, tx};

/// The settings being edited, one signal each.
#[derive(Clone, Copy)]
pub struct SettingsDraft {
    pub slug: RwSignal<String>,
    pub name: RwSignal<String>,
    pub audience: RwSignal<String>,
    pub first_page_text: RwSignal<String>,
    pub last_page_text: RwSignal<String>,
    pub privacy_text: RwSignal<String>,
    pub confirmation_email_subject: RwSignal<String>,
    pub confirmation_email_body: RwSignal<String>,
    pub handler_mailbox: RwSignal<String>,
    pub anonymous: RwSignal<bool>,
    pub retention_days: RwSignal<String>,
    /// What the form does not show, sent back as it was.
    base: StoredValue<ServiceInput>,
}

impl SettingsDraft {
    /// The form filled in from `input`.
    pub fn new(input: ServiceInput) -> Self {
        SettingsDraft {
            slug: RwSignal::new(input.slug.clone()),
            name: RwSignal::new(input.name.clone()),
            audience: RwSignal::new(input.audience.clone()),
            first_page_text: RwSignal::new(input.first_page_text.clone()),
            last_page_text: RwSignal::new(input.last_page_text.clone()),
            privacy_text: RwSignal::new(input.privacy_text.clone()),
            confirmation_email_subject: RwSignal::new(input.confirmation_email_subject.clone()),
            confirmation_email_body: RwSignal::new(input.confirmation_email_body.clone()),
            handler_mailbox: RwSignal::new(input.handler_mailbox.clone()),
            anonymous: RwSignal::new(input.identity == IdentityRequirement::AnonymousAllowed),
            retention_days: RwSignal::new(input.retention_days_after_closing.to_string()),
            base: StoredValue::new(input),
        }
    }

    /// The settings as a save sends them (not reactive).
    pub fn input(&self) -> ServiceInput {
        let mut input = self.base.get_value();
        input.slug = self.slug.get_untracked().trim().to_owned();
        input.name = self.name.get_untracked();
        input.audience = self.audience.get_untracked();
        input.first_page_text = self.first_page_text.get_untracked();
        input.last_page_text = self.last_page_text.get_untracked();
        input.privacy_text = self.privacy_text.get_untracked();
        input.confirmation_email_subject = self.confirmation_email_subject.get_untracked();
        input.confirmation_email_body = self.confirmation_email_body.get_untracked();
        input.handler_mailbox = self.handler_mailbox.get_untracked().trim().to_owned();
        input.identity = if self.anonymous.get_untracked() {
            IdentityRequirement::AnonymousAllowed
        } else {
            IdentityRequirement::EId
        };
        // A number that does not read is sent as 0, which the server refuses naming the setting.
        input.retention_days_after_closing = self.retention_days.get_untracked().trim().parse().unwrap_or(0);
        input
    }
}

/// A new service's settings, empty but for the platform's usual choices.
pub fn blank() -> ServiceInput {
    ServiceInput {
        slug: String::new(),
        name: String::new(),
        audience: String::new(),
        first_page_text: String::new(),
        last_page_text: String::new(),
        receipt_heading: None,
        privacy_text: String::new(),
        confirmation_email_subject: "Vi har tagit emot ditt ärende".to_owned(),
        confirmation_email_body: "Hej {{first_name}},\n\nvi har tagit emot ditt ärende {{case_reference}}. \
                                  Du följer det på {{min_sida_link}}."
            .to_owned(),
        confirmation_email_subject_en: None,
        confirmation_email_body_en: None,
        handler_mailbox: String::new(),
        identity: IdentityRequirement::EId,
        retention_days_after_closing: 365,
        retention_days_for_drafts: None,
        retention_days_awaiting_signatures: None,
        statuses: None,
        signing: Default::default(),
        english: Default::default(),
    }
}

/// The form. `creating` shows the URL name as an input (it never changes afterwards).
#[component]
pub fn SettingsFields(draft: SettingsDraft, creating: bool) -> impl IntoView {
    view! {
        <fieldset class="builder-group">
            <legend>{tx("Namn och målgrupp", "Name and audience")}</legend>
            <div class="field">
                <label for="s-name">{tx("Tjänstens namn", "The service's name")}</label>
                <p class="hint" id="s-name-hint">
                    {tx(
                        "Kort och lätt att förstå: det invånaren vill göra, till exempel \u{201d}Plats i förskola\u{201d}.",
                        "Short and easy to understand: what the resident wants to do, e.g. \u{201c}Plats i förskola\u{201d}.",
                    )}
                </p>
                <input
                    id="s-name"
                    type="text"
                    maxlength="120"
                    aria-describedby="s-name-hint s-name-advice"
                    prop:value=move || draft.name.get()
                    on:input=move |ev| draft.name.set(event_target_value(&ev))
                />
                <NameAdvice name=draft.name />
            </div>
            <TextSetting
                id="s-audience"
                label=("Vem är tjänsten till för?", "Who is the service for?")
                hint=Some(("Målgruppen, som den visas i katalogen: till exempel \u{201d}Vårdnadshavare till barn 1–5 år\u{201d}.", "The target group as the catalogue shows it: e.g. \u{201c}Guardians of children aged 1–5\u{201d}."))
                value=draft.audience
                rows=2
            />
            {creating
                .then(|| {
                    view! {
                        <TextSetting
                            id="s-slug"
                            label=("Adress (URL-namn)", "Address (URL name)")
                            hint=Some(("Små bokstäver a–z, siffror och bindestreck, till exempel plats-i-forskola. Kan inte ändras senare.", "Lowercase letters a–z, digits and hyphens, e.g. plats-i-forskola. Cannot change later."))
                            value=draft.slug
                            rows=0
                        />
                    }
                })}
        </fieldset>
        <fieldset class="builder-group">
            <legend>{tx("Sidor och texter", "Pages and texts")}</legend>
            <TextSetting id="s-first" label=("Första sidan", "First page") hint=Some(("Vad tjänsten är och vad den sökande behöver ha till hands.", "What the service is and what the applicant needs to have ready.")) value=draft.first_page_text rows=5 />
            <TextSetting id="s-last" label=("Sista sidan", "Last page") hint=Some(("Visas när ärendet är skickat: vad som händer nu.", "Shown once the case is sent: what happens next.")) value=draft.last_page_text rows=4 />
            <TextSetting id="s-privacy" label=("Behandling av personuppgifter", "Processing of personal data") hint=None value=draft.privacy_text rows=4 />
        </fieldset>
        <fieldset class="builder-group">
            <legend>{tx("Bekräftelse och handläggning", "Confirmation and handling")}</legend>
            <TextSetting id="s-subject" label=("Bekräftelsemejlets ämne", "The confirmation e-mail's subject") hint=None value=draft.confirmation_email_subject rows=0 />
            <TextSetting
                id="s-body"
                label=("Bekräftelsemejlets text", "The confirmation e-mail's text")
                hint=Some(("Får innehålla {{service_name}}, {{case_reference}}, {{submitted_date}}, {{min_sida_link}} och {{first_name}}.", "May contain {{service_name}}, {{case_reference}}, {{submitted_date}}, {{min_sida_link}} and {{first_name}}."))
                value=draft.confirmation_email_body
                rows=5
            />
            <TextSetting id="s-mailbox" label=("Handläggarnas funktionsbrevlåda", "The handlers' shared mailbox") hint=None value=draft.handler_mailbox rows=0 />
            <div class="field checkbox">
                <input
                    id="s-anonymous"
                    type="checkbox"
                    prop:checked=move || draft.anonymous.get()
                    on:change=move |ev| draft.anonymous.set(event_target_checked(&ev))
                />
                <label for="s-anonymous">
                    {tx("Går att använda utan e-legitimation", "Can be used without e-ID")}
                </label>
            </div>
            <TextSetting
                id="s-retention"
                label=("Dagar efter avslut innan ärendet gallras", "Days after closing before the case is purged")
                hint=Some(("1 till 3650 dagar, enligt informationshanteringsplanen.", "1 to 3650 days, as the records management plan says."))
                value=draft.retention_days
                rows=0
            />
        </fieldset>
    }
}

/// One text setting: a label, an optional hint, and an input (`rows` 0) or a text area.
#[component]
fn TextSetting(
    id: &'static str,
    label: (&'static str, &'static str),
    hint: Option<(&'static str, &'static str)>,
    value: RwSignal<String>,
    rows: u32,
) -> impl IntoView {
    let hint_id = format!("{id}-hint");
    let described = hint.map(|_| hint_id.clone());
    let input = if rows == 0 {
        view! {
            <input
                id=id
                type="text"
                aria-describedby=described
                prop:value=move || value.get()
                on:input=move |ev| value.set(event_target_value(&ev))
            />
        }
        .into_any()
    } else {
        view! {
            <textarea
                id=id
                rows=rows
                aria-describedby=described
                prop:value=move || value.get()
                on:input=move |ev| value.set(event_target_value(&ev))
            ></textarea>
        }
        .into_any()
    };
    view! {
        <div class="field">
            <label for=id>{tx(label.0, label.1)}</label>
            {hint.map(|(sv, en)| view! { <p class="hint" id=hint_id.clone()>{tx(sv, en)}</p> })}
            {input}
        </div>
    }
}

/// What the checklist says about the name, while it is typed (a polite live region), with the
/// suggested name to take with one press.
#[component]
fn NameAdvice(name: RwSignal<String>) -> impl IntoView {
    let advice = Memo::new(move |_| name.with(|n| shared::naming::advice(n)));
    view! {
        <div id="s-name-advice" class="name-advice" aria-live="polite">
            {move || {
                advice
                    .get()
                    .into_iter()
                    .filter(|a| !(matches!(a, Advice::TooShort) && name.with(|n| n.trim().is_empty())))
                    .map(|a| advice_view(a, name))
                    .collect_view()
            }}
        </div>
    }
}

fn advice_view(advice: Advice, name: RwSignal<String>) -> AnyView {
    let (class, text) = match &advice {
        Advice::TooShort | Advice::TooLong => (
            "advice refusal",
            if is_en() {
                format!("The name must be {} to {} characters long.", NAME_CHARS.start(), NAME_CHARS.end())
            } else {
                format!("Namnet ska vara {} till {} tecken långt.", NAME_CHARS.start(), NAME_CHARS.end())
            },
        ),
        Advice::StartsWithGenre { word, .. } => (
            "advice refusal",
            if is_en() {
                format!(
                    "Don't start the name with \u{201c}{word}\u{201d}: the catalogue lists what residents want to do, and every service is a form anyway."
                )
            } else {
                format!(
                    "Börja inte namnet med \u{201d}{word}\u{201d}: katalogen listar vad invånaren vill göra, och alla tjänster är ju formulär."
                )
            },
        ),
        Advice::Long { chars } => (
            "advice warning",
            if is_en() {
                format!(
                    "The name is {chars} characters long. Over {LONG_NAME} it is hard to read in lists and on phones: can it be shorter?"
                )
            } else {
                format!(
                    "Namnet är {chars} tecken långt. Över {LONG_NAME} blir det svårläst i listor och på mobilen: går det att korta?"
                )
            },
        ),
    };
    let suggestion = match advice {
        Advice::StartsWithGenre { suggestion: Some(s), .. } => Some(s),
        _ => None,
    };
    view! {
        <p class=class>
            {text}
            {suggestion
                .map(|s| {
                    let label = s.clone();
                    view! {
                        " "
                        <button type="button" class="button-link" on:click=move |_| name.set(s.clone())>
                            {move || if is_en() { format!("Use \u{201c}{label}\u{201d}") } else { format!("Använd \u{201d}{label}\u{201d}") }}
                        </button>
                    }
                })}
        </p>
    }
        .into_any()
}

/// The problems of a refused save, each naming its setting, or the one reason.
pub fn problems_view(error: &FetchError) -> AnyView {
    let problems = match error {
        FetchError::Status { error: Some(e), .. } => e.problems.clone(),
        _ => Vec::new(),
    };
    if problems.is_empty() {
        return view! {
            <div class="alert" role="alert">
                <p>{error.reason()}</p>
            </div>
        }
        .into_any();
    }
    view! {
        <div class="alert" role="alert">
            <p>{tx("Inställningarna sparades inte:", "The settings were not saved:")}</p>
            <ul>
                {problems
                    .into_iter()
                    .map(|p| view! { <li><code>{p.field}</code>": "{p.message}</li> })
                    .collect_view()}
            </ul>
        </div>
    }
    .into_any()
}
