//! `/`: the catalogue of published e-services, with a search box that filters the list in the
//! browser.

use leptos::prelude::*;
use shared::api::{CatalogueEntry, with_english};

use shared::api::IdentityRequirement;

use crate::common::api;
use crate::common::i18n::{Own, is_en, set_title, tx};
use crate::common::loader::{load, show_loaded_under};

/// `/`: every published e-service, with a search box that filters the list
/// in the browser.
#[component]
pub fn Catalogue() -> impl IntoView {
    set_title("", "");
    let (entries, retry) = load(api::catalogue);
    view! {
        <h1>{tx("E-tjänster", "E-services")}</h1>
        <p class="lead">
            {tx(
                "Här hittar du kommunens e-tjänster. Välj en e-tjänst för att läsa mer om den och för att komma igång.",
                "Here you find the municipality's e-services. Choose one to read more about it and to get started.",
            )}
        </p>
        {move || {
            show_loaded_under(
                Some(("Det gick inte att hämta e-tjänsterna", "The e-services could not be loaded")),
                entries.get(),
                retry,
                ("Hämtar e-tjänsterna …", "Loading the e-services …"),
                |list| view! { <ServiceList entries=list /> }.into_any(),
            )
        }}
    }
}

/// The search box and the (filtered) list.
#[component]
fn ServiceList(entries: Vec<CatalogueEntry>) -> impl IntoView {
    if entries.is_empty() {
        return view! {
            <p class="empty">
                {tx(
                    "Det finns inga e-tjänster att visa just nu. Försök igen senare.",
                    "There are no e-services to show right now. Try again later.",
                )}
            </p>
        }
        .into_any();
    }
    let total = entries.len();
    let entries = StoredValue::new(entries);
    let (query, set_query) = signal(String::new());
    let visible = Memo::new(move |_| {
        let words = search_words(&query.read());
        entries.with_value(|all| all.iter().filter(|e| matches_search(e, &words)).cloned().collect::<Vec<_>>())
    });

    view! {
        <form class="search" role="search" on:submit=|ev| ev.prevent_default()>
            <label for="sok">{tx("Sök e-tjänst", "Search e-services")}</label>
            <p id="sok-hjalp" class="hint">
                {tx(
                    "Sök på namn eller på vem e-tjänsten är till för.",
                    "Search by name or by who the e-service is for.",
                )}
            </p>
            <input
                id="sok"
                type="search"
                autocomplete="off"
                spellcheck="false"
                aria-describedby="sok-hjalp"
                prop:value=query
                on:input=move |ev| set_query.set(event_target_value(&ev))
            />
        </form>
        <p class="result-count" role="status">
            {move || count_text(visible.read().len(), total, is_en())}
        </p>
        <Show
            when=move || !visible.read().is_empty()
            fallback=|| {
                view! {
                    <p class="empty">
                        {tx(
                            "Ingen e-tjänst matchar din sökning. Prova ett annat ord.",
                            "No e-service matches your search. Try another word.",
                        )}
                    </p>
                }
            }
        >
            <ul id="e-tjanster" class="service-list">
                <For
                    each=move || visible.get()
                    key=|entry| entry.slug.clone()
                    children=|entry| view! { <ServiceCard entry=entry /> }
                />
            </ul>
        </Show>
    }
    .into_any()
}

/// One service in the list.
#[component]
fn ServiceCard(entry: CatalogueEntry) -> impl IntoView {
    let href = format!("/tjanster/{}", entry.slug);
    view! {
        <li class="service-card">
            <h2>
                <a href=href>
                    <Own text=with_english(&entry.name, &entry.english.name) />
                </a>
            </h2>
            <p class="audience">
                <Own text=with_english(&entry.audience, &entry.english.audience) />
            </p>
            <p class="identity">{identity_short(entry.identity)}</p>
        </li>
    }
}

/// A short phrase on how the applicant identifies, for lists.
fn identity_short(identity: IdentityRequirement) -> impl Fn() -> &'static str + Copy + Send + Sync + 'static {
    match identity {
        IdentityRequirement::EId => tx("Kräver e-legitimation", "Requires e-ID"),
        IdentityRequirement::AnonymousAllowed => tx("Går att använda utan e-legitimation", "Can be used without e-ID"),
    }
}

/// The lower-cased words of a search.
fn search_words(query: &str) -> Vec<String> {
    query.split_whitespace().map(str::to_lowercase).collect()
}

/// Whether every word occurs in the service's name or audience.
fn matches_search(entry: &CatalogueEntry, words: &[String]) -> bool {
    if words.is_empty() {
        return true;
    }
    let english = [&entry.english.name, &entry.english.audience].map(|t| t.as_deref().unwrap_or_default());
    let haystack = format!("{} {} {} {}", entry.name, entry.audience, english[0], english[1]).to_lowercase();
    words.iter().all(|w| haystack.contains(w.as_str()))
}

/// "Visar 2 av 5 e-tjänster", announced as the list changes.
fn count_text(shown: usize, total: usize, en: bool) -> String {
    let noun = match (en, total == 1) {
        (false, true) => "e-tjänst",
        (false, false) => "e-tjänster",
        (true, true) => "e-service",
        (true, false) => "e-services",
    };
    let (showing, of) = if en { ("Showing", "of") } else { ("Visar", "av") };
    if shown == total { format!("{showing} {total} {noun}") } else { format!("{showing} {shown} {of} {total} {noun}") }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(name: &str, audience: &str) -> CatalogueEntry {
        CatalogueEntry {
            slug: "x".into(),
            name: name.into(),
            audience: audience.into(),
            identity: IdentityRequirement::EId,
            english: Default::default(),
        }
    }

    #[test]
    fn search_matches_every_word_in_name_or_audience_ignoring_case() {
        let e = entry("Förskoleplats", "Vårdnadshavare med barn 1–5 år");
        assert!(matches_search(&e, &search_words("")));
        assert!(matches_search(&e, &search_words("FÖRSKOLE")));
        assert!(matches_search(&e, &search_words("förskole vårdnadshavare")));
        assert!(!matches_search(&e, &search_words("förskole bygglov")));
    }

    #[test]
    fn count_text_is_swedish_or_english() {
        assert_eq!(count_text(1, 1, false), "Visar 1 e-tjänst");
        assert_eq!(count_text(3, 3, false), "Visar 3 e-tjänster");
        assert_eq!(count_text(0, 3, false), "Visar 0 av 3 e-tjänster");
        assert_eq!(count_text(0, 3, true), "Showing 0 of 3 e-services");
    }
}
