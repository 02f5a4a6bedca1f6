//! Small building blocks shared by the pages.

use leptos::prelude::*;
use wasm_bindgen::JsCast;

use shared::text::Text;

use crate::common::i18n::{own_str, swedish, tx};

/// Text written by a service owner or a handler, one paragraph per blank-line separated block
/// (single line breaks are kept by the stylesheet). A service's own texts are `rich`: their
/// headings, lists and links ([`shared::text::blocks`]) are shown as such. It is shown in
/// English where English is written, else in Swedish marked `lang="sv"` (see
/// [`crate::common::i18n::Own`]).
#[component]
pub fn TextBlock(#[prop(into)] text: Text, #[prop(optional)] rich: bool) -> impl IntoView {
    use shared::text::{blocks, paragraphs, to_html};
    let lang_of = text.clone();
    // Written as escaped HTML by `shared::text::to_html` (tested there): no text becomes markup.
    let html = move || {
        let t = own_str(&text);
        to_html(&if rich { blocks(t) } else { paragraphs(t) })
    };
    view! { <div class="text-block" lang=move || swedish(&lang_of) inner_html=html></div> }
}

/// The stylesheet's phone layout (base.css: `@media (max-width: 40rem)`).
const NARROW: &str = "(max-width: 40rem)";
/// A phone: that layout, or a screen used with a finger (a phone on its side, a tablet).
const PHONE: &str = "(max-width: 40rem), (pointer: coarse)";

/// Whether the browser's window matches a media query.
fn media(query: &str) -> bool {
    window().match_media(query).ok().flatten().is_some_and(|m| m.matches())
}

/// Whether the screen is as narrow as a phone's, so that the stylesheet's phone layout applies.
pub fn is_narrow() -> bool {
    media(NARROW)
}

/// Whether this is a phone (or a tablet): a narrow screen, or one used with a finger (a coarse
/// pointer, as a phone on its side). BankID on this device comes first there.
pub fn is_phone() -> bool {
    media(PHONE)
}

/// A disclosure (`<details>`) that folds `children` behind `summary` on a phone only (the steps
/// of an application, the account links): on a wider screen it starts open, with the class
/// `fold-wide` that hides its summary (base.css).
#[component]
pub fn PhoneFold(
    /// The element's classes besides `fold`.
    #[prop(optional)]
    class: &'static str,
    /// The summary's text, in Swedish and English.
    summary: (&'static str, &'static str),
    /// The summary's classes.
    #[prop(optional)]
    summary_class: &'static str,
    children: Children,
) -> impl IntoView {
    let wide = !is_narrow();
    view! {
        <details class=format!("fold {class}{}", if wide { " fold-wide" } else { "" }) open=wide.then_some("")>
            <summary class=summary_class>{tx(summary.0, summary.1)}</summary>
            {children()}
        </details>
    }
}

/// The municipality's contact centre phone number, as written and as dialled.
pub const CONTACT_PHONE: (&str, &str) = ("042-10 50 00", "tel:+4642105000");

/// Moves keyboard focus to the element with this `id` once the page has been
/// redrawn (the element may only just have been created). Used when a page
/// changes step, so that keyboard and screen-reader users follow; the target
/// is usually a heading with `tabindex="-1"`.
pub fn focus_later(id: &str) {
    let id = id.to_owned();
    request_animation_frame(move || focus_id(&id));
}

/// Moves keyboard focus to the element with this `id`, if there is one.
pub fn focus_id(id: &str) {
    if let Some(el) = document().get_element_by_id(id).and_then(|el| el.dyn_into::<web_sys::HtmlElement>().ok()) {
        let _ = el.focus();
    }
}

/// "Inget svar": how an unanswered field reads.
pub fn answer_display_none() -> String {
    tx("Inget svar", "Not answered")().to_owned()
}

/// An answer as people read it: option labels, "Ja"/"Nej", dates, file
/// names, "Inget svar" when there is none. Used by the application's summary,
/// Min sida and the handler's case view.
pub fn answer_display(field: &shared::Field, value: Option<&serde_json::Value>) -> String {
    use serde_json::Value;
    use shared::FieldKind;
    let Some(value) = value.filter(|v| shared::condition::is_answered(v)) else {
        return answer_display_none();
    };
    if matches!(field.kind, FieldKind::Group { .. }) {
        // One line per row.
        let show = |f: &shared::Field, v: &Value| answer_display(f, Some(v));
        return shared::parts::show_rows(field, value, crate::common::i18n::is_en(), show).join("\n");
    }
    if let Some(shown) = shared::formats::show_answer(&field.kind, value) {
        // A child's personnummer: who the child is, the applicant's journey shows by name.
        return shown;
    }
    match (&field.kind, value) {
        (FieldKind::SingleChoice { options, .. }, Value::String(v)) => {
            options.iter().find(|o| o.value == *v).map_or_else(|| v.clone(), |o| own_str(&o.label).to_owned())
        }
        (FieldKind::MultipleChoice { options, .. }, Value::Array(items)) => options
            .iter()
            .filter(|o| items.iter().any(|i| i.as_str() == Some(o.value.as_str())))
            .map(|o| own_str(&o.label))
            .collect::<Vec<_>>()
            .join(", "),
        (FieldKind::YesNo, Value::Bool(b)) => {
            let (yes, no) = if crate::common::i18n::is_en() { ("Yes", "No") } else { ("Ja", "Nej") };
            (if *b { yes } else { no }).to_owned()
        }
        (FieldKind::Date { .. }, Value::String(d)) if shared::date::parse_iso_date(d).is_some() => {
            crate::common::i18n::format_iso_date(d)
        }
        (FieldKind::File { .. }, Value::Array(files)) => {
            files.iter().filter_map(|f| f.get("name").and_then(Value::as_str)).collect::<Vec<_>>().join(", ")
        }
        (_, Value::String(s)) => s.clone(),
        (_, Value::Number(n)) => n.to_string(),
        _ => String::new(),
    }
}

/// Whether [`answer_display`] shows a field's answer in the service's own words in Swedish (the
/// labels of its options, where they are not shown in English): its element gets `lang="sv"`.
pub fn answer_in_service_words(field: &shared::Field) -> bool {
    match &field.kind {
        shared::FieldKind::SingleChoice { options, .. } | shared::FieldKind::MultipleChoice { options, .. } => {
            options.iter().any(|o| swedish(&o.label).is_some())
        }
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_contact_centres_link_dials_the_number_it_shows() {
        let (shown, href) = CONTACT_PHONE;
        assert_eq!(href, format!("tel:{}", shared::formats::normalise_phone(shown).unwrap()));
    }
}
