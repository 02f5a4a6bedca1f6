//! Small building blocks shared by the pages.

use leptos::prelude::*;

use crate::api::FetchError;

/// Name of the site, last in every document title.
pub const SITE_NAME: &str = "E-tjänster";

/// Sets the document title (what a screen reader announces and the tab shows).
pub fn set_title(page: &str) {
    let title = if page == SITE_NAME { SITE_NAME.to_owned() } else { format!("{page} – {SITE_NAME}") };
    document().set_title(&title);
}

/// Plain text written by a service owner, one paragraph per blank-line
/// separated block (single line breaks are kept by the stylesheet).
#[component]
pub fn TextBlock(text: String) -> impl IntoView {
    let paragraphs: Vec<String> =
        text.replace("\r\n", "\n").split("\n\n").map(str::trim).filter(|p| !p.is_empty()).map(str::to_owned).collect();
    view! {
        <div class="text-block">
            {paragraphs.into_iter().map(|p| view! { <p>{p}</p> }).collect_view()}
        </div>
    }
}

/// A polite "loading" message, announced by screen readers.
#[component]
pub fn Loading(message: &'static str) -> impl IntoView {
    view! {
        <p class="loading" role="status">
            <span class="spinner" aria-hidden="true"></span>
            {message}
        </p>
    }
}

/// An error box with what went wrong and a button that tries again.
#[component]
pub fn LoadError(
    /// The heading of the box (an h2 under the page's own h1), if any.
    #[prop(optional)]
    heading: Option<&'static str>,
    /// What failed.
    error: FetchError,
    /// Called when the user asks to try again.
    retry: Callback<()>,
) -> impl IntoView {
    view! {
        <div class="alert" role="alert">
            {heading.map(|h| view! { <h2>{h}</h2> })}
            <p>{error.user_message()}</p>
            <button type="button" class="button button-secondary" on:click=move |_| retry.run(())>
                "Försök igen"
            </button>
        </div>
    }
}
