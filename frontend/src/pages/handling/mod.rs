//! The handlers' pages under `/handlaggning`: the staff header, login, the
//! inbox ([`inbox`]), one case ([`case`]) and retention ([`retention`]).

mod admin;
mod case;
mod contact_centre;
mod inbox;
mod retention;

pub use admin::{ADMIN_PATH, AdminStart};
pub use case::StaffCase;
pub use contact_centre::ContactCentre;
pub use inbox::StaffInbox;
pub use retention::StaffRetention;

use leptos::prelude::*;
use leptos::task::spawn_local;
use shared::api::{CaseStatus, StaffRole};

use crate::api::{self, FetchError};
use crate::i18n::{LanguageSwitch, is_en, pick, set_title, tx};
use crate::router::{self, navigate};
use crate::staff_auth::{STAFF_LOGIN, StaffSession, use_staff};

/// The header of the staff pages: "Handläggning", the inbox, the contact centre, retention (for
/// service owners and platform admins), who is logged in, "Logga ut".
#[component]
pub fn StaffHeader() -> impl IntoView {
    let staff = use_staff();
    let location = router::location();
    let current = move |path: &'static str| move || (location.path.get() == path).then_some("page");
    let log_out = move |_| {
        staff.log_out();
        navigate(STAFF_LOGIN, false);
    };
    view! {
        <header class="site-header staff-header">
            <div class="wrap header-row">
                <a class="site-name" href="/handlaggning">
                    {tx("Handläggning", "Case handling")}
                </a>
                <div class="header-tools">
                    {move || {
                        staff
                            .is_logged_in()
                            .then(|| {
                                view! {
                                    <nav class="account" aria-label=tx("Handläggning", "Case handling")>
                                        {move || {
                                            staff
                                                .may_have(&[StaffRole::Handler])
                                                .then(|| {
                                                    view! {
                                                        <a class="header-link" href="/handlaggning" aria-current=current("/handlaggning")>
                                                            {tx("Inkorg", "Inbox")}
                                                        </a>
                                                    }
                                                })
                                        }}
                                        {move || {
                                            staff
                                                .may_have(&[StaffRole::PlatformAdmin])
                                                .then(|| {
                                                    view! {
                                                        <a class="header-link" href=ADMIN_PATH aria-current=current(ADMIN_PATH)>
                                                            {tx("Administration", "Administration")}
                                                        </a>
                                                    }
                                                })
                                        }}
                                        // Only those who may look cases up: the contact centre and platform admins.
                                        {move || {
                                            staff
                                                .may_have(&[StaffRole::ContactCentre, StaffRole::PlatformAdmin])
                                                .then(|| {
                                                    view! {
                                                        <a
                                                            class="header-link"
                                                            href="/handlaggning/kundtjanst"
                                                            aria-current=current("/handlaggning/kundtjanst")
                                                        >
                                                            {tx("Kundtjänst", "Contact centre")}
                                                        </a>
                                                    }
                                                })
                                        }}
                                        {move || {
                                            staff
                                                .may_have(&retention::RETENTION_ROLES)
                                                .then(|| {
                                                    view! {
                                                        <a
                                                            class="header-link"
                                                            href=retention::RETENTION_PATH
                                                            aria-current=current(retention::RETENTION_PATH)
                                                        >
                                                            {tx("Gallring", "Retention")}
                                                        </a>
                                                    }
                                                })
                                        }}
                                    </nav>
                                }
                            })
                    }}
                    <nav class="account" aria-label=tx("Ditt konto", "Your account")>
                        {move || {
                            staff
                                .name()
                                .map(|name| {
                                    view! {
                                        <span class="header-text">{name}</span>
                                        <button type="button" class="header-button" on:click=log_out>
                                            {tx("Logga ut", "Log out")}
                                        </button>
                                    }
                                })
                        }}
                    </nav>
                    <LanguageSwitch />
                </div>
            </div>
        </header>
    }
}

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
            match result.map(|t| StaffSession::new(t.access_token, t.expires_in)) {
                Ok(Some(session)) => {
                    staff.sign_in(session);
                    let to = location
                        .query("till")
                        .and_then(|t| crate::auth::safe_return_path(&t))
                        .filter(|t| t.starts_with("/handlaggning") && !t.starts_with(STAFF_LOGIN))
                        .unwrap_or_else(|| "/handlaggning".to_owned());
                    navigate(&to, true);
                }
                Ok(None) => error.set(Some(tx("Inloggningen misslyckades.", "The login failed.")())),
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

/// The server's reason for a refusal, or a general message.
fn reason(e: &FetchError) -> String {
    match e {
        FetchError::Status { status, error: Some(err) } if *status < 500 => err.message.clone(),
        e => pick(&e.user_message()).to_owned(),
    }
}

/// A status's name in the current language.
fn status_name(status: &CaseStatus) -> String {
    match (&status.name_en, is_en()) {
        (Some(en), true) => en.clone(),
        _ => status.name.clone(),
    }
}

/// Who read or changed a case, newest first: when, who, what.
fn access_log_table(entries: Vec<shared::handling::AccessLogEntry>) -> impl IntoView {
    view! {
        <div class="table-wrap">
            <table class="cases">
                <thead>
                    <tr>
                        <th scope="col">{tx("När", "When")}</th>
                        <th scope="col">{tx("Vem", "Who")}</th>
                        <th scope="col">{tx("Vad", "What")}</th>
                    </tr>
                </thead>
                <tbody>
                    {entries
                        .into_iter()
                        .map(|e| {
                            view! {
                                <tr>
                                    <td>{crate::i18n::format_instant(&e.at)}</td>
                                    <td>{e.staff_username}</td>
                                    <td>{e.action.as_str()}</td>
                                </tr>
                            }
                        })
                        .collect_view()}
                </tbody>
            </table>
        </div>
    }
}
