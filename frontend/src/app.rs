//! The page frame (skip link, header, main, footer) and the routes.

use leptos::prelude::*;
use leptos_router::components::{Route, Router, Routes};
use leptos_router::hooks::use_location;
use leptos_router::path;
use wasm_bindgen::JsCast;

use crate::components::SITE_NAME;
use crate::pages::{Catalogue, NotFound, ServiceFirstPage};

/// `id` of the `<main>` element, the skip link's target.
const MAIN_ID: &str = "innehall";

/// The whole app.
#[component]
pub fn App() -> impl IntoView {
    view! {
        <Router>
            <a class="skip-link" href=format!("#{MAIN_ID}") on:click=skip_to_main>
                "Gå direkt till innehållet"
            </a>
            <header class="site-header">
                <div class="wrap">
                    <a class="site-name" href="/">{SITE_NAME}</a>
                </div>
            </header>
            <main id=MAIN_ID tabindex="-1" class="wrap">
                <FocusOnNavigation />
                <Routes fallback=NotFound>
                    <Route path=path!("/") view=Catalogue />
                    <Route path=path!("/tjanster/:slug") view=ServiceFirstPage />
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
