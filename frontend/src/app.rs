//! The page frame (skip link, header with login state, main, footer) and the routes.

use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::NavigateOptions;
use leptos_router::components::{Route, Router, Routes};
use leptos_router::hooks::{use_location, use_navigate};
use leptos_router::path;
use wasm_bindgen::JsCast;

use crate::auth::{self, Auth};
use crate::components::SITE_NAME;
use crate::pages::{Catalogue, LoggedOut, Login, LoginReturn, MyDetails, NotFound, ServiceFirstPage};

/// `id` of the `<main>` element, the skip link's target.
const MAIN_ID: &str = "innehall";

/// The whole app.
#[component]
pub fn App() -> impl IntoView {
    Auth::provide();
    view! {
        <Router>
            <a class="skip-link" href=format!("#{MAIN_ID}") on:click=skip_to_main>
                "Gå direkt till innehållet"
            </a>
            <SiteHeader />
            <main id=MAIN_ID tabindex="-1" class="wrap">
                <FocusOnNavigation />
                <Routes fallback=NotFound>
                    <Route path=path!("/") view=Catalogue />
                    <Route path=path!("/tjanster/:slug") view=ServiceFirstPage />
                    <Route path=path!("/logga-in") view=Login />
                    <Route path=path!("/inloggad") view=LoginReturn />
                    <Route path=path!("/mina-uppgifter") view=MyDetails />
                    <Route path=path!("/utloggad") view=LoggedOut />
                </Routes>
            </main>
            <footer class="site-footer">
                <div class="wrap">
                    <p>"E-tjänsterna drivs av kommunen på en öppen e-tjänsteplattform."</p>
                </div>
            </footer>
        </Router>
    }
}

/// The site name, and "Logga in", or "Mina uppgifter" and "Logga ut".
#[component]
fn SiteHeader() -> impl IntoView {
    let auth = auth::use_auth();
    let location = use_location();
    let navigate = use_navigate();
    // Back to this page after logging in.
    let login_href = move || {
        let (path, search) = (location.pathname.get(), location.search.get());
        auth::login_href(&auth::path_with_query(&path, &search))
    };
    let log_out = move |_| {
        let navigate = navigate.clone();
        spawn_local(async move {
            auth.log_out().await;
            navigate("/utloggad", NavigateOptions::default());
        });
    };
    view! {
        <header class="site-header">
            <div class="wrap header-row">
                <a class="site-name" href="/">{SITE_NAME}</a>
                <nav class="account" aria-label="Ditt konto">
                    {move || {
                        if auth.is_logged_in() {
                            view! {
                                <a
                                    class="header-link"
                                    href="/mina-uppgifter"
                                    aria-current=move || {
                                        (location.pathname.get() == "/mina-uppgifter").then_some("page")
                                    }
                                >
                                    "Mina uppgifter"
                                </a>
                                <button type="button" class="header-button" on:click=log_out.clone()>
                                    "Logga ut"
                                </button>
                            }
                                .into_any()
                        } else {
                            view! {
                                <a class="header-link" href=login_href>
                                    "Logga in"
                                </a>
                            }
                                .into_any()
                        }
                    }}
                </nav>
            </div>
        </header>
    }
}

/// Moves keyboard focus to `<main>` after each in-app navigation (not on the
/// first load), so keyboard and screen-reader users start at the new content
/// instead of at the link they followed.
#[component]
fn FocusOnNavigation() -> impl IntoView {
    let location = use_location();
    Effect::new(move |previous: Option<String>| {
        let path = location.pathname.get();
        if previous.is_some_and(|p| p != path) {
            focus_main();
        }
        path
    });
}

/// The skip link's click: focus `<main>` ourselves, because the router
/// handles in-page `#` links as navigations and would not move focus.
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
