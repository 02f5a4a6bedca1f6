//! `/embed/cases`: the compact list of the logged-in person's cases that the
//! city's Min sida portal shows in an iframe.
//!
//! The token comes from the portal, never from this app's own session: on
//! load the page tells its parent `{type: "etjanster:ready"}` (sent only to
//! the parent's origin, which `location.ancestorOrigins` names), and takes a
//! `message` event only from that same origin carrying
//! `{type: "etjanster:token", token: "…"}`. The token is used for
//! `GET /api/v1/me/cases` and kept nowhere else. Which origins may frame the
//! page at all is the server's `frame-ancestors` (`[portal] allowed_origins`).
//! Without a parent (or in a browser without `ancestorOrigins`), or without a
//! token in time, the page asks the person to log in on Mina sidor.

use std::time::Duration;

use leptos::prelude::*;
use leptos::task::spawn_local;
use shared::api::ApplicantCase;
use wasm_bindgen::closure::Closure;
use wasm_bindgen::{JsCast, JsValue};

use crate::common::api::{self, FetchError};
use crate::common::i18n::{format_instant, pick, set_title, tx};
use crate::common::loader::Loading;
use crate::common::router;
use crate::common::status::{is_closed, sent_label, status_name, status_name_lang};

/// The message the page sends its parent once it listens.
const READY: &str = "etjanster:ready";
/// The type of the parent's message with the token.
const TOKEN: &str = "etjanster:token";
/// How long to wait for the portal's token before asking the person to log in.
const TOKEN_WAIT: Duration = Duration::from_secs(5);

/// Where the page is.
#[derive(Clone)]
enum State {
    /// Waiting for the portal's token.
    Waiting,
    /// No portal, no token, or the token was refused.
    NotLoggedIn,
    Loading,
    Loaded(Vec<ApplicantCase>),
    Failed(FetchError),
}

#[component]
pub fn EmbedCases() -> impl IntoView {
    set_title("Mina ärenden", "My cases");
    let state = RwSignal::new(State::Waiting);
    match parent_origin() {
        Some(origin) => listen_for_token(origin, state),
        None => state.set(State::NotLoggedIn),
    }
    view! {
        <h1 class="embed-heading">{tx("Mina ärenden", "My cases")}</h1>
        {move || match state.get() {
            State::Waiting | State::Loading => {
                view! { <Loading sv="Hämtar dina ärenden …" en="Loading your cases …" /> }.into_any()
            }
            State::NotLoggedIn => view! {
                <p>{tx("Logga in på Mina sidor för att se dina ärenden.", "Log in on My pages to see your cases.")}</p>
                <p>
                    <a href=absolute("/mina-sidor") target="_top">
                        {tx("Logga in på Mina sidor", "Log in on My pages")}
                    </a>
                </p>
            }
            .into_any(),
            State::Failed(error) => {
                let message = error.user_message();
                view! {
                    <div class="alert" role="alert">
                        <p>{move || pick(&message).to_owned()}</p>
                    </div>
                }
                .into_any()
            }
            State::Loaded(list) if list.is_empty() => {
                view! { <p class="empty">{tx("Du har inga ärenden.", "You have no cases.")}</p> }.into_any()
            }
            State::Loaded(list) => {
                view! { <ul class="embed-cases">{list.into_iter().map(embed_item).collect_view()}</ul> }.into_any()
            }
        }}
    }
}

/// One case: a link out of the frame to its page on Mina sidor, its status and when it was sent.
fn embed_item(case: ApplicantCase) -> impl IntoView {
    let ApplicantCase { reference, service_name, status, submitted_at, .. } = case;
    let href = absolute(&format!("/mina-sidor/arenden/{}", router::encode(&reference)));
    let name = status_name(&status);
    let name_lang = status_name_lang(&status);
    let closed = is_closed(&status);
    let sent = sent_label(&status);
    view! {
        <li class="embed-case" class:embed-case-closed=closed>
            <a href=href target="_top">
                <span lang="sv">{service_name}</span>
                " "
                <span class="embed-reference">{reference}</span>
            </a>
            <p class="embed-status">
                {tx("Status:", "Status:")} " " <strong lang=name_lang>{move || pick(&name).to_owned()}</strong>
            </p>
            <p class="embed-sent">{tx(sent.0, sent.1)} " " {move || format_instant(&submitted_at)}</p>
        </li>
    }
}

/// `path` on this app's origin, for links that leave the portal's frame.
fn absolute(path: &str) -> String {
    format!("{}{path}", window().location().origin().unwrap_or_default())
}

/// The origin of the page that frames this one, when the browser tells it
/// (`location.ancestorOrigins`, Chromium and Safari); `None` when not framed.
fn parent_origin() -> Option<String> {
    let w = window();
    let parent = w.parent().ok().flatten()?;
    if js_sys::Object::is(parent.as_ref(), w.as_ref()) {
        return None;
    }
    // Read as a plain property: browsers without it (Firefox) give `undefined`.
    let list = js_sys::Reflect::get(w.location().as_ref(), &JsValue::from_str("ancestorOrigins")).ok()?;
    let list = list.dyn_into::<web_sys::DomStringList>().ok()?;
    list.item(0).filter(|o| !o.is_empty() && o != "null")
}

/// Listens for the token from `origin`, tells the parent the page is ready, and gives up waiting after a while.
fn listen_for_token(origin: String, state: RwSignal<State>) {
    // Only the newest token's answer counts.
    let latest = StoredValue::new(0_u32);
    let expected = origin.clone();
    let on_message = Closure::<dyn Fn(web_sys::MessageEvent)>::new(move |ev: web_sys::MessageEvent| {
        if ev.origin() != expected {
            return;
        }
        let Some(token) = token_of(&ev.data()) else { return };
        let Some(this) = latest.try_get_value().map(|n| n.wrapping_add(1)) else { return };
        latest.set_value(this);
        state.try_set(State::Loading);
        spawn_local(async move {
            let result = api::my_cases(&token).await;
            if latest.try_get_value() != Some(this) {
                return;
            }
            state.try_set(match result {
                Ok(list) => State::Loaded(list),
                Err(e) if e.is_unauthorized() => State::NotLoggedIn,
                Err(e) => State::Failed(e),
            });
        });
    });
    let w = window();
    let _ = w.add_event_listener_with_callback("message", on_message.as_ref().unchecked_ref());
    // The embedded page is the whole document: the listener lives as long as it.
    on_message.forget();
    let ready = js_sys::Object::new();
    let _ = js_sys::Reflect::set(&ready, &JsValue::from_str("type"), &JsValue::from_str(READY));
    if let Ok(Some(parent)) = w.parent() {
        let _ = parent.post_message(&ready, &origin);
    }
    set_timeout(
        move || {
            if matches!(state.try_get_untracked(), Some(State::Waiting)) {
                state.try_set(State::NotLoggedIn);
            }
        },
        TOKEN_WAIT,
    );
}

/// The token of a `{type: "etjanster:token", token: "…"}` message.
fn token_of(data: &JsValue) -> Option<String> {
    let field = |name: &str| js_sys::Reflect::get(data, &JsValue::from_str(name)).ok().and_then(|v| v.as_string());
    if !data.is_object() || field("type").as_deref() != Some(TOKEN) {
        return None;
    }
    field("token").filter(|t| !t.is_empty() && t.len() < 8192)
}
