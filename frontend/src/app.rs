//! The page frame (skip link, header with login state and language, main,
//! footer) and the routes.

use leptos::prelude::*;
use leptos::task::spawn_local;
use wasm_bindgen::JsCast;

use crate::auth::{self, Auth};
use crate::components::PhoneFold;
use crate::i18n::{self, LanguageSwitch, tx};
use crate::pages::{
    Catalogue, EmbedCases, FollowCase, Journey, LoggedOut, Login, LoginReturn, MyCase, MyDetails, MyPages, NotFound,
    ServiceFirstPage, SignatureRequestPage,
};
use crate::router::{self, navigate};

/// `id` of the `<main>` element, the skip link's target.
pub(crate) const MAIN_ID: &str = "innehall";

/// Whether a path is one of Mina sidor's pages (their own app, src/bin/mina-sidor.rs):
/// `/mina-sidor` and below, and the portal's `/embed/…`.
pub fn is_my_pages_path(path: &str) -> bool {
    path == "/mina-sidor" || path.starts_with("/mina-sidor/") || path.starts_with("/embed/")
}

/// The applicants' app: the catalogue, service pages, login and the application.
#[component]
pub fn App() -> AnyView {
    // Mina sidor and the handlers' pages are other apps: links there load them.
    frame(|path| !crate::staff_app::is_staff_path(path) && !is_my_pages_path(path), route, None)
}

/// Mina sidor: the applicant's drafts and cases, one case, and the portal's embedded list.
#[component]
pub fn MyPagesApp() -> AnyView {
    frame(is_my_pages_path, my_pages_route, Some(embed_page))
}

/// The portal's `/embed/…` page, shown inside the city portal's iframe: no header, footer or
/// skip link of our own. Only Mina sidor's app has it (the server serves that app for
/// `/embed/…`), so the applicants' app does not carry its code.
fn embed_page() -> AnyView {
    view! {
        <main id=MAIN_ID class="embed">
            <EmbedCases />
        </main>
    }
    .into_any()
}

/// The page frame of an applicants' app whose paths are `in_scope`, with its routes, and
/// `embed`, the app's page for `/embed/…` if it has one.
fn frame(in_scope: fn(&str) -> bool, route: fn(&str) -> AnyView, embed: Option<fn() -> AnyView>) -> AnyView {
    i18n::init();
    let location = router::init(in_scope);
    Auth::provide();
    if let Some(embed) = embed.filter(|_| location.path.get_untracked().starts_with("/embed/")) {
        return embed();
    }
    view! {
        <a class="skip-link" href=format!("#{MAIN_ID}") on:click=skip_to_main>
            {tx("Gå direkt till innehållet", "Skip to content")}
        </a>
        <SiteHeader />
        <main id=MAIN_ID tabindex="-1" class="wrap">
            <FocusOnNavigation />
            {move || route(&location.path.get())}
        </main>
        <footer class="site-footer">
            <div class="wrap">
                <p>
                    {tx(
                        "E-tjänsterna drivs av kommunen på en öppen e-tjänsteplattform.",
                        "The e-services are run by the municipality on an open e-service platform.",
                    )}
                </p>
            </div>
        </footer>
    }
    .into_any()
}

/// Mina sidor's page for a path.
fn my_pages_route(path: &str) -> AnyView {
    let segments: Vec<&str> = path.trim_matches('/').split('/').filter(|s| !s.is_empty()).collect();
    match segments.as_slice() {
        ["mina-sidor"] => view! { <MyPages /> }.into_any(),
        ["mina-sidor", "arenden", reference] => view! { <MyCase reference=reference.to_string() /> }.into_any(),
        ["mina-sidor", "underskrifter", id] => view! { <SignatureRequestPage id=id.to_string() /> }.into_any(),
        ["mina-sidor", "folj", reference] => view! { <FollowCase reference=reference.to_string() /> }.into_any(),
        _ => view! { <NotFound /> }.into_any(),
    }
}

/// The page for a path.
fn route(path: &str) -> AnyView {
    let segments: Vec<&str> = path.trim_matches('/').split('/').filter(|s| !s.is_empty()).collect();
    match segments.as_slice() {
        [] => view! { <Catalogue /> }.into_any(),
        ["tjanster", slug] => view! { <ServiceFirstPage slug=slug.to_string() /> }.into_any(),
        ["tjanster", slug, "ansokan"] => view! { <Journey slug=slug.to_string() /> }.into_any(),
        ["logga-in"] => view! { <Login /> }.into_any(),
        ["inloggad"] => view! { <LoginReturn /> }.into_any(),
        ["mina-uppgifter"] => view! { <MyDetails /> }.into_any(),
        ["utloggad"] => view! { <LoggedOut /> }.into_any(),
        _ => view! { <NotFound /> }.into_any(),
    }
}

/// The site name; "Logga in", or "Mina sidor", "Mina uppgifter" and "Logga ut" (behind "Meny" on a
/// phone); the language switch.
#[component]
fn SiteHeader() -> impl IntoView {
    let auth = auth::use_auth();
    let location = router::location();
    // Back to this page after logging in.
    let login_href = move || {
        location.search.track();
        auth::login_href(&auth::path_with_query(&location.path.get(), &location.search.get_untracked()))
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
pub(crate) fn FocusOnNavigation() -> impl IntoView {
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
pub(crate) fn skip_to_main(ev: leptos::ev::MouseEvent) {
    ev.prevent_default();
    focus_main();
}

fn focus_main() {
    if let Some(main) = document().get_element_by_id(MAIN_ID).and_then(|el| el.dyn_into::<web_sys::HtmlElement>().ok())
    {
        let _ = main.focus();
    }
}
