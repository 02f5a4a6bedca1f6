//! Loading what a page shows: [`load`] fetches when the page opens (and again on "Försök igen"),
//! and [`show_loaded`] is the one way a page shows it — "Hämtar …" while it loads, the error with
//! "Försök igen" when it failed, and the content once it is there.

use std::future::Future;

use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::common::api::FetchError;
use crate::common::i18n::{pick, tx};

/// What [`load`] has: `None` while loading, then the answer.
pub type Loaded<T> = ReadSignal<Option<Result<T, FetchError>>>;

/// Loads with `fetch` (an API call) when the page opens, again whenever a
/// signal that `fetch` reads changes, and again when the returned callback
/// is called (a "Försök igen" button). Only the newest answer counts.
///
/// Pages use this instead of a `LocalResource` inside `<Transition>`: the
/// same for the user, and much less code in the wasm.
pub fn load<T, Fut>(fetch: impl Fn() -> Fut + 'static) -> (Loaded<T>, Callback<()>)
where
    T: Send + Sync + 'static,
    Fut: Future<Output = Result<T, FetchError>> + 'static,
{
    let (answer, set_answer) = signal(None);
    let attempt = RwSignal::new(0_u32);
    let latest = StoredValue::new(0_u32);
    Effect::new(move |_| {
        attempt.track();
        let request = fetch();
        let this = latest.get_value().wrapping_add(1);
        latest.set_value(this);
        set_answer.set(None);
        spawn_local(async move {
            let result = request.await;
            if latest.try_get_value() == Some(this) {
                set_answer.try_set(Some(result));
            }
        });
    });
    (answer, Callback::new(move |()| attempt.update(|n| *n = n.wrapping_add(1))))
}

/// A polite "loading" message, announced by screen readers.
#[component]
pub fn Loading(sv: &'static str, en: &'static str) -> impl IntoView {
    view! {
        <p class="loading" role="status">
            <span class="spinner" aria-hidden="true"></span>
            {tx(sv, en)}
        </p>
    }
}

/// An error box with what went wrong and a button that tries again.
#[component]
pub fn LoadError(
    /// The heading of the box (an h2 under the page's own h1), in Swedish and English, if any.
    #[prop(default = None, into)]
    heading: Option<(&'static str, &'static str)>,
    /// What failed.
    error: FetchError,
    /// Called when the user asks to try again.
    retry: Callback<()>,
) -> impl IntoView {
    let message = error.user_message();
    view! {
        <div class="alert" role="alert">
            {heading.map(|(sv, en)| view! { <h2>{tx(sv, en)}</h2> })}
            <p>{move || pick(&message).to_owned()}</p>
            <button type="button" class="button button-secondary" on:click=move |_| retry.run(())>
                {tx("Försök igen", "Try again")}
            </button>
        </div>
    }
}

/// The one way a page shows what [`load`] has: [`Loading`] with `loading`'s words while it
/// loads; nothing when the server refused the session (the page's gate takes the person to the
/// login page); [`LoadError`] with "Försök igen" when it failed; and `content` once it is there.
/// A page that says more about an error (a case that does not exist) matches it first.
pub fn show_loaded<T>(
    answer: Option<Result<T, FetchError>>,
    retry: Callback<()>,
    loading: (&'static str, &'static str),
    content: impl FnOnce(T) -> AnyView,
) -> AnyView {
    show_loaded_under(None, answer, retry, loading, content)
}

/// [`show_loaded`] with the error box under its own `heading` (an h2, in Swedish and English).
pub fn show_loaded_under<T>(
    heading: Option<(&'static str, &'static str)>,
    answer: Option<Result<T, FetchError>>,
    retry: Callback<()>,
    loading: (&'static str, &'static str),
    content: impl FnOnce(T) -> AnyView,
) -> AnyView {
    match answer {
        Some(Ok(value)) => content(value),
        Some(Err(error)) => failed(heading, error, retry),
        None => view! { <Loading sv=loading.0 en=loading.1 /> }.into_any(),
    }
}

/// [`show_loaded`] for a whole page about one thing (a case, a request, an e-service): when the
/// server says it does not exist, `not_found` (the page's own words on what to do); when the load
/// failed otherwise, an h1 `failed` ("… kunde inte visas") above the error box.
pub fn show_page<T>(
    answer: Option<Result<T, FetchError>>,
    retry: Callback<()>,
    loading: (&'static str, &'static str),
    failed: (&'static str, &'static str),
    not_found: impl FnOnce() -> AnyView,
    content: impl FnOnce(T) -> AnyView,
) -> AnyView {
    match answer {
        Some(Err(error)) if error.is_not_found() => not_found(),
        Some(Err(error)) if !error.is_unauthorized() => view! {
            <h1>{tx(failed.0, failed.1)}</h1>
            <LoadError error=error retry=retry />
        }
        .into_any(),
        answer => show_loaded(answer, retry, loading, content),
    }
}

/// A load that failed: [`LoadError`], or nothing for a refused session.
fn failed(heading: Option<(&'static str, &'static str)>, error: FetchError, retry: Callback<()>) -> AnyView {
    if error.is_unauthorized() {
        ().into_any()
    } else {
        view! { <LoadError heading=heading error=error retry=retry /> }.into_any()
    }
}
