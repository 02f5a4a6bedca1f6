//! `/handlaggning/logga-in`: a staff member logs in with user name and password, and goes back
//! to the page that sent them here.

use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::common::api;
use crate::common::i18n::{is_en, set_title, tx};
use crate::common::router::{self, is_builder_path, is_staff_path, navigate};
use crate::common::session::{STAFF_LOGIN, safe_return_path, use_staff};

/// `/handlaggning/logga-in`: user name and password.
#[component]
pub fn StaffLogin() -> impl IntoView {
    set_title("Logga in – handläggning", "Log in – case handling");
    let staff = use_staff();
    let location = router::location();
    let expired = location.query("fel").as_deref() == Some("utloggad");
    let username = RwSignal::new(String::new());
    let password = RwSignal::new(String::new());
    let error = RwSignal::new(None::<&'static str>);
    let busy = RwSignal::new(false);
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if busy.get_untracked() {
            return;
        }
        let (u, p) = (username.get_untracked(), password.get_untracked());
        if u.trim().is_empty() || p.is_empty() {
            error.set(Some(if is_en() {
                "Enter your user name and password."
            } else {
                "Fyll i användarnamn och lösenord."
            }));
            return;
        }
        busy.set(true);
        spawn_local(async move {
            let result = api::staff_login(&u, &p).await;
            busy.set(false);
            match result.map(|t| staff.sign_in(t)) {
                Ok(true) => {
                    let to = location
                        .query("till")
                        .and_then(|t| safe_return_path(&t))
                        .filter(|t| (is_staff_path(t) || is_builder_path(t)) && !t.starts_with(STAFF_LOGIN))
                        .unwrap_or_else(|| "/handlaggning".to_owned());
                    navigate(&to, true);
                }
                Ok(false) => error.set(Some(tx("Inloggningen misslyckades.", "The login failed.")())),
                Err(e) if e.is_unauthorized() => {
                    error.set(Some(tx("Fel användarnamn eller lösenord.", "Wrong user name or password.")()))
                }
                Err(_) => error.set(Some(tx(
                    "Det gick inte att logga in just nu. Försök igen om en stund.",
                    "Logging in is not possible right now. Try again in a while.",
                )())),
            }
        });
    };
    view! {
        <h1>{tx("Logga in som handläggare", "Log in as a case handler")}</h1>
        {expired
            .then(|| {
                view! {
                    <div class="notice" role="status">
                        <p>{tx("Du har loggats ut. Logga in igen.", "You have been logged out. Log in again.")}</p>
                    </div>
                }
            })}
        <div role="alert">
            {move || error.get().map(|e| view! { <div class="alert"><p>{e}</p></div> })}
        </div>
        <form class="staff-login" on:submit=submit novalidate>
            <div class="field">
                <label for="staff-username">{tx("Användarnamn", "User name")}</label>
                <input
                    id="staff-username"
                    type="text"
                    autocomplete="username"
                    required
                    prop:value=username
                    on:input=move |ev| username.set(event_target_value(&ev))
                />
            </div>
            <div class="field">
                <label for="staff-password">{tx("Lösenord", "Password")}</label>
                <input
                    id="staff-password"
                    type="password"
                    autocomplete="current-password"
                    required
                    prop:value=password
                    on:input=move |ev| password.set(event_target_value(&ev))
                />
            </div>
            <button type="submit" class="button" aria-disabled=move || busy.get().to_string()>
                {tx("Logga in", "Log in")}
            </button>
        </form>
    }
}
