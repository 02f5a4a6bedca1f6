//! The platform's two languages: Swedish (the default) and English, switched
//! in the header and remembered in `localStorage`. Platform texts are written
//! in place as pairs, `tx("Nästa", "Next")`; what a service owner wrote (labels, help texts,
//! options, page titles: `shared::text::Text`) is shown in English where they wrote English,
//! else in Swedish marked `lang="sv"` ([`Own`]). Dates and numbers are formatted by
//! the browser (`Intl`) for the chosen language, which costs nothing in the wasm.

use std::cell::Cell;

use leptos::prelude::*;
use shared::text::Text;
use shared::validate::Localized;
use wasm_bindgen::JsValue;

/// `localStorage` key of the chosen language.
const LANG_KEY: &str = "etjanster.sprak";

/// A platform language.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lang {
    Sv,
    En,
}

impl Lang {
    /// The BCP 47 tag, for `<html lang>` and `Intl`.
    pub fn tag(self) -> &'static str {
        match self {
            Lang::Sv => "sv",
            Lang::En => "en",
        }
    }

    /// The locale dates and numbers are formatted in.
    fn locale(self) -> &'static str {
        match self {
            Lang::Sv => "sv-SE",
            Lang::En => "en-GB",
        }
    }
}

thread_local! {
    static LANG: Cell<Option<RwSignal<Lang>>> = const { Cell::new(None) };
    static TITLE: Cell<Option<RwSignal<Localized>>> = const { Cell::new(None) };
}

fn lang_signal() -> RwSignal<Lang> {
    LANG.with(|l| match l.get() {
        Some(s) => s,
        None => {
            let s = RwSignal::new(stored_lang());
            l.set(Some(s));
            s
        }
    })
}

fn title_signal() -> RwSignal<Localized> {
    TITLE.with(|t| match t.get() {
        Some(s) => s,
        None => {
            let s = RwSignal::new(Localized { sv: String::new(), en: String::new() });
            t.set(Some(s));
            s
        }
    })
}

/// Starts the language: from `localStorage`, kept in `<html lang>` and in the document title.
pub fn init() {
    let lang = lang_signal();
    let title = title_signal();
    Effect::new(move |_| {
        let l = lang.get();
        if let Some(html) = document().document_element() {
            let _ = html.set_attribute("lang", l.tag());
        }
        let page = title.with(|t| pick_in(l, t).to_owned());
        let site = site_name_in(l);
        document().set_title(&if page.is_empty() || page == site {
            site.to_owned()
        } else {
            format!("{page} – {site}")
        });
    });
}

/// The language now (reactive).
pub fn lang() -> Lang {
    lang_signal().get()
}

/// Whether the platform speaks English now (reactive).
pub fn is_en() -> bool {
    lang() == Lang::En
}

/// Switches the language and remembers the choice.
pub fn set_lang(l: Lang) {
    lang_signal().set(l);
    if let Ok(Some(storage)) = window().local_storage() {
        let _ = storage.set_item(LANG_KEY, l.tag());
    }
}

fn stored_lang() -> Lang {
    let stored = window().local_storage().ok().flatten().and_then(|s| s.get_item(LANG_KEY).ok().flatten());
    if stored.as_deref() == Some("en") { Lang::En } else { Lang::Sv }
}

/// A platform text in the current language, as a reactive view or attribute value.
///
/// Every call returns the same closure type, so the wasm holds one copy of
/// the code that renders it, however many texts there are.
pub fn tx(sv: &'static str, en: &'static str) -> impl Fn() -> &'static str + Copy + Send + Sync + 'static {
    move || if is_en() { en } else { sv }
}

/// The text of `l` in the current language (reactive).
pub fn pick(l: &Localized) -> &str {
    pick_in(lang(), l)
}

fn pick_in(lang: Lang, l: &Localized) -> &str {
    if lang == Lang::En { &l.en } else { &l.sv }
}

/// A service's text in the current language: English where the service wrote it (reactive).
pub fn own_str(t: &Text) -> &str {
    if is_en() { t.in_english() } else { &t.sv }
}

/// `lang="sv"` for a service's text, unless it is shown in English (reactive): screen readers
/// then read the Swedish with a Swedish voice.
pub fn swedish(t: &Text) -> Option<&'static str> {
    (!(t.is_translated() && is_en())).then_some("sv")
}

/// A text a service wrote ([`own_str`]), marked [`swedish`] where it is shown in Swedish.
#[component]
pub fn Own(#[prop(into)] text: Text) -> impl IntoView {
    let t = text.clone();
    view! { <span lang=move || swedish(&t)>{move || own_str(&text).to_owned()}</span> }
}

/// A two-language text from two static strings.
pub fn loc(sv: &str, en: &str) -> Localized {
    Localized { sv: sv.to_owned(), en: en.to_owned() }
}

/// The site's name, last in every document title.
pub fn site_name_in(l: Lang) -> &'static str {
    if l == Lang::En { "E-services" } else { "E-tjänster" }
}

/// Sets the document title (the page's part; the site name is added), in both languages.
pub fn set_title(sv: &str, en: &str) {
    title_signal().set(loc(sv, en));
}

/// A date (`YYYY-MM-DD`, or an instant in milliseconds since the epoch with
/// `with_time`) as the current language writes it: "3 mars 2027", "3 March 2027".
pub fn format_date(value: JsValue, with_time: bool) -> String {
    let date = js_sys::Date::new(&value);
    if date.get_time().is_nan() {
        return value.as_string().unwrap_or_default();
    }
    let options = js_sys::Object::new();
    let set = |k: &str, v: &str| {
        let _ = js_sys::Reflect::set(&options, &JsValue::from_str(k), &JsValue::from_str(v));
    };
    set("dateStyle", "long");
    if with_time {
        set("timeStyle", "short");
    } else {
        // A plain date is midnight UTC: show it as that day everywhere.
        set("timeZone", "UTC");
    }
    date.to_locale_string(lang().locale(), &options).into()
}

/// An ISO date `YYYY-MM-DD` for people.
pub fn format_iso_date(iso: &str) -> String {
    format_date(JsValue::from_str(iso), false)
}

/// A day for people ("3 mars 2027").
pub fn format_day(day: chrono::NaiveDate) -> String {
    format_iso_date(&day.to_string())
}

/// An instant for people, with the time of day.
pub fn format_instant(at: &chrono::DateTime<chrono::Utc>) -> String {
    format_date(JsValue::from_f64(at.timestamp_millis() as f64), true)
}

/// A number with the current language's decimal sign and digit grouping.
pub fn format_number(n: f64) -> String {
    js_sys::Number::from(n).to_locale_string(lang().locale()).into()
}

/// A file size for people: "850 kB", "1,5 MB" (powers of 1024, as the server's messages count).
pub fn format_size(bytes: u64) -> String {
    let b = bytes as f64;
    let (value, unit) = if b >= 1_048_576.0 {
        ((b / 104_857.6).round() / 10.0, "MB")
    } else if b >= 1_024.0 {
        ((b / 1_024.0).round(), "kB")
    } else {
        (b, "B")
    };
    format!("{} {unit}", format_number(value))
}

/// The language switch in the header: offers the other language, in that language.
#[component]
pub fn LanguageSwitch() -> impl IntoView {
    view! {
        <button
            type="button"
            class="header-button"
            lang=move || if is_en() { "sv" } else { "en" }
            on:click=move |_| set_lang(if is_en() { Lang::Sv } else { Lang::En })
        >
            {move || if is_en() { "Svenska" } else { "English" }}
        </button>
    }
}
