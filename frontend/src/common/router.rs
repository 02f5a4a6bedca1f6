//! A small client-side router: the address as two signals (path and query),
//! [`navigate`] with the History API, and one click listener that turns clicks
//! on same-origin links into in-app navigations.
//!
//! Each app's router handles only its own paths ([`init`]'s `in_scope`; which app a path is,
//! [`is_my_pages_path`] and [`is_staff_path`] say); a link to another app's path is a full page
//! load.
//!
//! The apps need no more than that (a handful of flat routes each, see their `mod.rs`),
//! and leptos_router costs about a tenth of the wasm: this is the larger part
//! of what brought the applicant's download under its 250 KB budget.

use std::cell::Cell;

use leptos::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen::closure::Closure;

/// The address bar, reactively. Set only by [`navigate`] and by the browser's back and forward.
#[derive(Clone, Copy)]
pub struct Location {
    /// The path, e.g. `/tjanster/plats-i-forskola/ansokan`.
    pub path: RwSignal<String>,
    /// The query without its `?`, e.g. `steg=barn&utkast=…`.
    pub search: RwSignal<String>,
}

thread_local! {
    static LOCATION: Cell<Option<Location>> = const { Cell::new(None) };
    /// Whether a path belongs to this app; others are loaded by the browser (they are the other app's).
    static SCOPE: Cell<fn(&str) -> bool> = const { Cell::new(|_| true) };
}

/// Creates the location from the address bar and starts following it: back
/// and forward buttons, and clicks on links to paths `in_scope` says are this
/// app's (the browser loads the others). Called once, by the app.
pub fn init(in_scope: fn(&str) -> bool) -> Location {
    SCOPE.with(|s| s.set(in_scope));
    let (path, search) = current();
    let location = Location { path: RwSignal::new(path), search: RwSignal::new(search) };
    LOCATION.with(|l| l.set(Some(location)));
    let on_pop = Closure::<dyn Fn()>::new(move || sync(location));
    let on_click = Closure::<dyn Fn(web_sys::MouseEvent)>::new(on_link_click);
    let _ = window().add_event_listener_with_callback("popstate", on_pop.as_ref().unchecked_ref());
    let _ = document().add_event_listener_with_callback("click", on_click.as_ref().unchecked_ref());
    // The listeners live as long as the page.
    on_pop.forget();
    on_click.forget();
    location
}

/// The location (after [`init`]).
pub fn location() -> Location {
    LOCATION.with(Cell::get).unwrap_or_else(|| {
        let (path, search) = current();
        Location { path: RwSignal::new(path), search: RwSignal::new(search) }
    })
}

impl Location {
    /// A query parameter, decoded (reactive).
    pub fn query(&self, key: &str) -> Option<String> {
        self.search.with(|s| query_param(s, key))
    }

    /// `path?query` as it is now (not reactive).
    pub fn here(&self) -> String {
        let path = self.path.get_untracked();
        let search = self.search.get_untracked();
        if search.is_empty() { path } else { format!("{path}?{search}") }
    }
}

/// Goes to `to` (a path in the app, with an optional query) without loading
/// the page; `replace` overwrites the current history entry instead of adding one.
pub fn navigate(to: &str, replace: bool) {
    let path = to.split(['?', '#']).next().unwrap_or(to);
    if !SCOPE.with(Cell::get)(path) {
        let _ = window().location().set_href(to);
        return;
    }
    let Ok(history) = window().history() else { return };
    let result = if replace {
        history.replace_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some(to))
    } else {
        history.push_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some(to))
    };
    if result.is_err() {
        // Not a same-origin address: let the browser go there.
        let _ = window().location().set_href(to);
        return;
    }
    if !replace && !to.contains('#') {
        window().scroll_to_with_x_and_y(0.0, 0.0);
    }
    sync(location());
}

/// The address bar's path and query (without `?`).
fn current() -> (String, String) {
    let l = window().location();
    let search = l.search().unwrap_or_default();
    (l.pathname().unwrap_or_else(|_| "/".into()), search.strip_prefix('?').unwrap_or(&search).to_owned())
}

/// Copies the address bar into the signals (only what changed, so pages are not redrawn for nothing).
fn sync(location: Location) {
    let (path, search) = current();
    if location.path.with_untracked(|p| *p != path) {
        location.path.set(path);
    }
    if location.search.with_untracked(|s| *s != search) {
        location.search.set(search);
    }
}

/// A plain left click on a link to a page of this app becomes an in-app
/// navigation. Links that open elsewhere (`target`, `download`,
/// `rel="external"`, another origin, modifier keys) and links to a place on
/// the same page are left to the browser.
fn on_link_click(ev: web_sys::MouseEvent) {
    if ev.default_prevented() || ev.button() != 0 || ev.meta_key() || ev.ctrl_key() || ev.shift_key() || ev.alt_key() {
        return;
    }
    let Some(link) = ev
        .target()
        .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
        .and_then(|el| el.closest("a[href]").ok().flatten())
        .and_then(|el| el.dyn_into::<web_sys::HtmlAnchorElement>().ok())
    else {
        return;
    };
    let own_window = matches!(link.target().as_str(), "" | "_self");
    let external = link.has_attribute("download") || link.rel().split_whitespace().any(|r| r == "external");
    if !own_window || external || link.origin() != window().location().origin().unwrap_or_default() {
        return;
    }
    let (path, search, hash) = (link.pathname(), link.search(), link.hash());
    if !SCOPE.with(Cell::get)(&path) {
        return;
    }
    let (here_path, here_search) = current();
    let same_page = path == here_path && search.strip_prefix('?').unwrap_or(&search) == here_search;
    if same_page && !hash.is_empty() {
        return;
    }
    ev.prevent_default();
    navigate(&format!("{path}{search}{hash}"), false);
}

/// Whether a path is one of Mina sidor's pages (their own app, src/bin/mina-sidor.rs):
/// `/mina-sidor` and below, and the portal's `/embed/…`.
pub fn is_my_pages_path(path: &str) -> bool {
    path == "/mina-sidor" || path.starts_with("/mina-sidor/") || path.starts_with("/embed/")
}

/// Whether a path is one of the handlers' pages (`/handlaggning` and below; src/bin/staff.rs).
pub fn is_staff_path(path: &str) -> bool {
    path == "/handlaggning" || path.starts_with("/handlaggning/")
}

/// Whether a path is one of the service builder's pages (`/bygga` and below; src/bin/bygga.rs).
pub fn is_builder_path(path: &str) -> bool {
    path == "/bygga" || path.starts_with("/bygga/")
}

/// The decoded value of `key` in a query string (`a=1&b=x%20y`).
pub fn query_param(search: &str, key: &str) -> Option<String> {
    search.split('&').find_map(|pair| {
        let (k, v) = pair.split_once('=').unwrap_or((pair, ""));
        (k == key).then(|| decode(v))
    })
}

/// Percent-decoding of a query value (`+` is a space); undecodable input is kept as it is.
fn decode(v: &str) -> String {
    let v = v.replace('+', " ");
    js_sys::decode_uri_component(&v).ok().and_then(|s| s.as_string()).unwrap_or(v)
}

/// A value percent-encoded for a query string or path segment.
pub fn encode(v: &str) -> String {
    js_sys::encode_uri_component(v).into()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_paths_under_handlaggning_are_the_handlers_app() {
        assert!(is_staff_path("/handlaggning"));
        assert!(is_staff_path("/handlaggning/arenden/X"));
        assert!(!is_staff_path("/handlaggningar"));
        assert!(!is_staff_path("/mina-sidor"));
    }
}
