//! Where a login goes afterwards: the path it was started from (kept for the tab while an
//! OIDC login leaves the app), only ever a path of this site.

use leptos::prelude::*;

/// `sessionStorage` key of where to go after a login that leaves the app (OIDC).
const RETURN_KEY: &str = "etjanster.till";
/// Where a login goes when nothing else was asked for.
pub const DEFAULT_RETURN: &str = "/mina-uppgifter";

fn session_storage() -> Option<web_sys::Storage> {
    window().session_storage().ok().flatten()
}

/// Remembers where to go after a login that leaves the app (OIDC).
pub fn remember_return_path(path: &str) {
    if let Some(storage) = session_storage() {
        let _ = storage.set_item(RETURN_KEY, path);
    }
}

/// The remembered return path, if any (kept until [`forget_return_path`]).
pub fn remembered_return_path() -> Option<String> {
    session_storage()?.get_item(RETURN_KEY).ok().flatten().and_then(|p| safe_return_path(&p))
}

pub fn forget_return_path() {
    if let Some(storage) = session_storage() {
        let _ = storage.remove_item(RETURN_KEY);
    }
}

/// `till` as a path inside this app, or `None`. Only a plain absolute path
/// (`/x…`, not `//host` or `/\host`) is accepted, so a link cannot send a
/// freshly logged-in person to another site; the login pages themselves and
/// the server's own paths are refused too.
pub fn safe_return_path(till: &str) -> Option<String> {
    let rest = till.strip_prefix('/')?;
    let ok = till.len() <= 512
        && !rest.starts_with(['/', '\\'])
        && !till.contains('\\')
        && !till.chars().any(char::is_control)
        && !["logga-in", "inloggad", "utloggad", "api", "dev"]
            .iter()
            .any(|p| rest.strip_prefix(p).is_some_and(|r| r.is_empty() || r.starts_with(['/', '?', '#'])));
    ok.then(|| till.to_owned())
}

/// `/logga-in?till=<path>`, for a path in the app (just `/logga-in` for the start page and the login pages).
pub fn login_href(path_and_query: &str) -> String {
    match safe_return_path(path_and_query) {
        Some(p) if p != "/" => format!("/logga-in?till={}", String::from(js_sys::encode_uri_component(&p))),
        _ => "/logga-in".to_owned(),
    }
}

/// `path?search` (the router keeps the query without its `?`).
pub fn path_with_query(path: &str, search: &str) -> String {
    if search.is_empty() { path.to_owned() } else { format!("{path}?{search}") }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_paths_inside_the_app_are_return_paths() {
        for good in ["/mina-uppgifter", "/tjanster/forskola?steg=2", "/", "/logga-inx"] {
            assert_eq!(safe_return_path(good).as_deref(), Some(good), "{good}");
        }
        for bad in [
            "",
            "mina-uppgifter",
            "//evil.example",
            "/\\evil.example",
            "/a\\b",
            "https://evil.example/",
            "/logga-in",
            "/logga-in?till=/x",
            "/inloggad?biljett=x",
            "/utloggad",
            "/api/v1/me/person",
            "/dev/bankid",
            "/a\nb",
            &format!("/{}", "a".repeat(600)),
        ] {
            assert_eq!(safe_return_path(bad), None, "{bad:?}");
        }
    }
}
