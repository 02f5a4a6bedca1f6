//! The page frame every app draws around its pages: the skip link, the app's header, `<main>`
//! with the page for the address, and the footer; keyboard focus moves to `<main>` after each
//! in-app navigation. The header of the applicants' apps (the applicants' app and Mina sidor) is
//! here too, [`SiteHeader`]; the handlers' is their own.

use leptos::prelude::*;
use leptos::task::spawn_local;
use wasm_bindgen::JsCast;

use crate::common::components::PhoneFold;
use crate::common::i18n::{self, LanguageSwitch, tx};
use crate::common::router::{self, Location, navigate};
use crate::common::session::{self, Kind, Session};

/// `id` of the `<main>` element, the skip link's target.
pub const MAIN_ID: &str = "innehall";

/// Starts an app whose people have sessions of kind `K`: the language, the router (for the
/// paths `in_scope` says are the app's own; links to others' are full page loads) and the session.
pub fn start<K: Kind>(in_scope: fn(&str) -> bool) -> Location {
    i18n::init();
    let location = router::init(in_scope);
    Session::<K>::provide();
    location
}

/// The frame around the app's pages: the skip link, `header`, `<main>` with `route`'s page for
/// the address, and the footer with its line (in Swedish and English).
pub fn frame(
    location: Location,
    header: impl IntoView,
    route: impl Fn(&str) -> AnyView + Send + Sync + 'static,
    (footer_sv, footer_en): (&'static str, &'static str),
) -> impl IntoView {
    view! {
        <a class="skip-link" href=format!("#{MAIN_ID}") on:click=skip_to_main>
            {tx("Gå direkt till innehållet", "Skip to content")}
        </a>
        {header}
        <main id=MAIN_ID tabindex="-1" class="wrap">
            <FocusOnNavigation />
            {move || route(&location.path.get())}
        </main>
        <footer class="site-footer">
            <div class="wrap">
                <p>{tx(footer_sv, footer_en)}</p>
            </div>
        </footer>
    }
}

/// The footer of the applicants' apps.
pub const APPLICANT_FOOTER: (&str, &str) = (
    "E-tjänsterna drivs av kommunen på en öppen e-tjänsteplattform.",
    "The e-services are run by the municipality on an open e-service platform.",
);

/// The header of the applicants' apps: the site name; "Logga in", or "Mina sidor", "Mina
/// uppgifter" and "Logga ut" (behind "Meny" on a phone); the language switch.
#[component]
pub fn SiteHeader() -> impl IntoView {
    let auth = session::use_auth();
    let location = router::location();
    // Back to this page after logging in.
    let login_href = move || {
        location.search.track();
        session::login_href(&session::path_with_query(&location.path.get(), &location.search.get_untracked()))
    };
    let log_out = move |_| {
        spawn_local(async move {
            auth.log_out().await;
            navigate("/utloggad", false);
        });
    };
    let current = move |path: &'static str| move || (location.path.get() == path).then_some("page");
    view! {
        <header class="site-header">
            <div class="wrap header-row">
                <a class="site-name" href="/">
                    {move || i18n::site_name_in(i18n::lang())}
                </a>
                <div class="header-tools">
                    <nav class="account" aria-label=tx("Ditt konto", "Your account")>
                        {move || {
                            // Drawn again on every page, so that an opened menu is closed on the next.
                            location.path.track();
                            if auth.is_logged_in() {
                                view! {
                                    // On a phone behind "Meny", so that the header is one line.
                                    <PhoneFold
                                        class="account-menu"
                                        summary=("Meny", "Menu")
                                        summary_class="header-button"
                                    >
                                        <div class="account-links">
                                            <a
                                                class="header-link"
                                                href="/mina-sidor"
                                                aria-current=current("/mina-sidor")
                                            >
                                                {tx("Mina sidor", "My pages")}
                                            </a>
                                            <a
                                                class="header-link"
                                                href="/mina-uppgifter"
                                                aria-current=current("/mina-uppgifter")
                                            >
                                                {tx("Mina uppgifter", "My details")}
                                            </a>
                                            <button type="button" class="header-button" on:click=log_out>
                                                {tx("Logga ut", "Log out")}
                                            </button>
                                        </div>
                                    </PhoneFold>
                                }
                                    .into_any()
                            } else {
                                view! {
                                    <a class="header-link" href=login_href>
                                        {tx("Logga in", "Log in")}
                                    </a>
                                }
                                    .into_any()
                            }
                        }}
                    </nav>
                    <LanguageSwitch />
                </div>
            </div>
        </header>
    }
}

/// Moves keyboard focus to `<main>` after each in-app navigation to another
/// path (not on the first load), so keyboard and screen-reader users start at
/// the new content instead of at the link they followed. Pages that change
/// step within one path (the application) move focus themselves.
#[component]
fn FocusOnNavigation() -> impl IntoView {
    let location = router::location();
    Effect::new(move |previous: Option<String>| {
        let path = location.path.get();
        if previous.is_some_and(|p| p != path) {
            focus_main();
        }
        path
    });
}

/// The skip link's click: focus `<main>` ourselves (and stay on this address).
fn skip_to_main(ev: leptos::ev::MouseEvent) {
    ev.prevent_default();
    focus_main();
}

fn focus_main() {
    if let Some(main) = document().get_element_by_id(MAIN_ID).and_then(|el| el.dyn_into::<web_sys::HtmlElement>().ok())
    {
        let _ = main.focus();
    }
}

/// The staff apps' account navigation: `children` (links of the app's own), who is logged in,
/// and "Logga ut", which ends the session and goes to the staff login.
#[component]
pub fn StaffAccount(#[prop(optional)] children: Option<Children>) -> impl IntoView {
    let staff = session::use_staff();
    let log_out = move |_| {
        spawn_local(staff.log_out());
        navigate(session::STAFF_LOGIN, false);
    };
    view! {
        <nav class="account" aria-label=tx("Ditt konto", "Your account")>
            {children.map(|c| c())}
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
    }
}
