//! The applicant's session in the browser: the Bearer token from a login,
//! kept in `sessionStorage` (this tab only, gone when the tab closes), renewed
//! on a timer while the tab is open, and dropped on logout or when the server
//! answers 401. Provided to every component as the context [`Auth`].

use std::time::Duration;

use leptos::prelude::*;
use leptos::task::spawn_local;
use shared::api::TokenResponse;

use crate::api::{self, FetchError};
use crate::router::{self, navigate};

/// `sessionStorage` key of the session.
const SESSION_KEY: &str = "etjanster.session";
/// `sessionStorage` key of where to go after a login that leaves the app (OIDC).
const RETURN_KEY: &str = "etjanster.till";
/// Where a login goes when nothing else was asked for.
pub const DEFAULT_RETURN: &str = "/mina-uppgifter";
/// After a failed renewal (network), try again this much later.
const RENEW_RETRY: Duration = Duration::from_secs(30);

/// What is kept of a login.
#[derive(Debug, Clone, PartialEq)]
struct Session {
    /// The JWT for `Authorization: Bearer …`.
    token: String,
    /// When the token runs out, in milliseconds since the epoch (this browser's clock).
    expires_at: i64,
}

impl Session {
    fn from_response(t: TokenResponse) -> Self {
        let lifetime = i64::try_from(t.expires_in).unwrap_or(i64::MAX / 2).saturating_mul(1000);
        Session { token: t.access_token, expires_at: now_ms().saturating_add(lifetime) }
    }

    /// `{"token": …, "expires_at": …}`, written and read through `serde_json::Value`
    /// (whose code the app has anyway) rather than a derive of its own.
    fn to_stored(&self) -> String {
        let mut m = serde_json::Map::new();
        m.insert("token".into(), self.token.clone().into());
        m.insert("expires_at".into(), self.expires_at.into());
        serde_json::Value::Object(m).to_string()
    }

    fn from_stored(s: &str) -> Option<Session> {
        let v: serde_json::Value = serde_json::from_str(s).ok()?;
        Some(Session { token: v.get("token")?.as_str()?.to_owned(), expires_at: v.get("expires_at")?.as_i64()? })
    }
}

/// Why the last session ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Ended {
    /// The applicant chose "Logga ut".
    ByUser,
    /// The server no longer accepts the token (expired, ended, or the session hit its maximum age).
    Expired,
}

/// The session context: cheap to copy, lives as long as the app.
#[derive(Clone, Copy)]
pub struct Auth {
    session: RwSignal<Option<Session>>,
    logged_in: Memo<bool>,
    ended: RwSignal<Option<Ended>>,
    renew_timer: StoredValue<Option<TimeoutHandle>>,
}

/// The [`Auth`] context (provided by the app at its root).
pub fn use_auth() -> Auth {
    expect_context::<Auth>()
}

impl Auth {
    /// Creates the context from what this tab stored, provides it and starts
    /// the renewal timer.
    pub fn provide() -> Auth {
        let session = RwSignal::new(load_session());
        let auth = Auth {
            session,
            logged_in: Memo::new(move |_| session.with(Option::is_some)),
            ended: RwSignal::new(None),
            renew_timer: StoredValue::new(None),
        };
        provide_context(auth);
        // (Re)schedule the renewal whenever the token changes.
        Effect::new(move |_| {
            let expires_at = auth.session.with(|s| s.as_ref().map(|s| s.expires_at));
            auth.cancel_renewal();
            if let Some(expires_at) = expires_at {
                auth.schedule_renewal(renew_delay(expires_at - now_ms()));
            }
        });
        auth
    }

    /// Whether the applicant is logged in (reactive; unchanged by renewals).
    pub fn is_logged_in(&self) -> bool {
        self.logged_in.get()
    }

    /// Why the last session ended, if it did in this tab.
    pub fn ended(&self) -> Option<Ended> {
        self.ended.get_untracked()
    }

    /// The current token, without tracking.
    pub fn token(&self) -> Option<String> {
        self.session.with_untracked(|s| s.as_ref().map(|s| s.token.clone()))
    }

    /// Starts a session with a token from a login.
    pub fn sign_in(&self, token: TokenResponse) {
        let session = Session::from_response(token);
        store_session(Some(&session));
        self.ended.set(None);
        self.session.set(Some(session));
    }

    /// Forgets the session in this tab.
    fn end(&self, why: Ended) {
        store_session(None);
        self.cancel_renewal();
        self.ended.set(Some(why));
        self.session.set(None);
    }

    /// Logs out: forgets the token here at once, then ends the session on the
    /// server (a failure there only means the token runs out by itself).
    pub async fn log_out(self) {
        let token = self.token();
        self.end(Ended::ByUser);
        if let Some(token) = token
            && let Err(e) = api::end_session(&token).await
        {
            leptos::logging::warn!("logout: {e}");
        }
    }

    /// Calls the API with the token; a 401 ends the session here too.
    pub async fn call<T, F, Fut>(self, request: F) -> Result<T, FetchError>
    where
        F: FnOnce(String) -> Fut,
        Fut: std::future::Future<Output = Result<T, FetchError>>,
    {
        let Some(token) = self.token() else {
            return Err(FetchError::Status { status: 401, error: None });
        };
        let result = request(token).await;
        if result.as_ref().is_err_and(FetchError::is_unauthorized) {
            self.end(Ended::Expired);
        }
        result
    }

    fn cancel_renewal(&self) {
        if let Some(Some(handle)) = self.renew_timer.try_get_value() {
            handle.clear();
        }
        self.renew_timer.try_set_value(None);
    }

    fn schedule_renewal(self, delay: Duration) {
        let handle = set_timeout_with_handle(move || self.renew(), delay).ok();
        self.renew_timer.set_value(handle);
    }

    /// Swaps the token for a fresh one; on 401 the session is over.
    fn renew(self) {
        let Some(token) = self.token() else { return };
        spawn_local(async move {
            let result = api::renew_session(&token).await;
            // Logged out (or in again) while the request ran: leave that alone.
            if self.token().as_deref() != Some(token.as_str()) {
                return;
            }
            match result {
                Ok(fresh) => {
                    let session = Session::from_response(fresh);
                    store_session(Some(&session));
                    self.session.set(Some(session));
                }
                Err(e) if e.is_unauthorized() => self.end(Ended::Expired),
                Err(e) => {
                    leptos::logging::warn!("session renewal: {e}");
                    let left = self.session.with_untracked(|s| s.as_ref().map_or(0, |s| s.expires_at - now_ms()));
                    if left > 0 {
                        self.schedule_renewal(RENEW_RETRY.min(Duration::from_millis(left.unsigned_abs())));
                    } else {
                        self.end(Ended::Expired);
                    }
                }
            }
        });
    }
}

/// When to renew a token that has `left_ms` to live: halfway, so that a tab
/// the browser throttles in the background (timers late by up to a minute)
/// still renews in time.
fn renew_delay(left_ms: i64) -> Duration {
    Duration::from_millis(u64::try_from(left_ms / 2).unwrap_or(0))
}

/// Milliseconds since the epoch (the browser's clock; `Date.now()` is smaller in the wasm than chrono).
fn now_ms() -> i64 {
    js_sys::Date::now() as i64
}

fn session_storage() -> Option<web_sys::Storage> {
    window().session_storage().ok().flatten()
}

/// The stored session, if its token has at least a few seconds left.
fn load_session() -> Option<Session> {
    let raw = session_storage()?.get_item(SESSION_KEY).ok().flatten()?;
    Session::from_stored(&raw).filter(|s| s.expires_at - now_ms() > 5_000)
}

fn store_session(session: Option<&Session>) {
    let Some(storage) = session_storage() else { return };
    let _ = match session.map(Session::to_stored) {
        Some(stored) => storage.set_item(SESSION_KEY, &stored),
        None => storage.remove_item(SESSION_KEY),
    };
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

/// Shows `children` only to a logged-in applicant; anyone else is sent to
/// the login page, which brings them back here afterwards.
#[component]
pub fn RequireLogin(children: ChildrenFn) -> impl IntoView {
    let auth = use_auth();
    Effect::new(move |was_logged_in: Option<bool>| {
        let logged_in = auth.is_logged_in();
        if !logged_in {
            send_to_login(auth, was_logged_in);
        }
        logged_in
    });
    move || auth.is_logged_in().then(|| children())
}

/// Sends someone who is not (or no longer) logged in to the login page, which
/// brings them back to this address; not after "Logga ut" on this page (which
/// navigates by itself). `was_logged_in` is what the caller saw before.
pub fn send_to_login(auth: Auth, was_logged_in: Option<bool>) {
    if was_logged_in == Some(true) && auth.ended() == Some(Ended::ByUser) {
        return;
    }
    let mut to = login_href(&router::location().here());
    if auth.ended() == Some(Ended::Expired) {
        to.push_str(if to.contains('?') { "&fel=utloggad" } else { "?fel=utloggad" });
    }
    navigate(&to, true);
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

    #[test]
    fn renews_halfway_and_at_once_when_overdue() {
        assert_eq!(renew_delay(900_000), Duration::from_secs(450));
        assert_eq!(renew_delay(0), Duration::ZERO);
        assert_eq!(renew_delay(-5_000), Duration::ZERO);
    }
}
