//! A session in the browser, one context for both kinds of people the apps serve: an applicant
//! (the applicants' app and Mina sidor) and a staff member (the handlers' app). Either is the
//! Bearer token from a login, kept in `sessionStorage` (this tab only, gone when the tab closes)
//! under the kind's own key, and dropped on logout (which ends the session on the server too) or
//! when the server answers 401. What differs between the kinds is [`Kind`]: an applicant's token is
//! renewed on a timer while the tab is open; a staff member's names them and their roles, and a
//! refused one goes to the staff login at once; and the few things their pages show differently
//! where the apps share a component (a message list, a download button). Provided as the context
//! [`Session`] (`Auth` and `StaffAuth`), generic over the kind so that each app carries the code
//! of its own kind only.

mod kinds;
mod return_path;

pub use kinds::{Applicant, Kind, Staff, StaffPerson};
pub use return_path::{
    DEFAULT_RETURN, forget_return_path, login_href, path_with_query, remember_return_path, remembered_return_path,
    safe_return_path,
};

use std::future::Future;
use std::marker::PhantomData;
use std::time::Duration;

use leptos::prelude::*;
use leptos::task::spawn_local;
use shared::api::{StaffRole, TokenResponse};

use crate::common::api::{self, FetchError};
use crate::common::router::{self, navigate};

/// The staff login page.
pub const STAFF_LOGIN: &str = "/handlaggning/logga-in";
/// After a failed renewal (network), try again this much later.
const RENEW_RETRY: Duration = Duration::from_secs(30);

/// An applicant's session.
pub type Auth = Session<Applicant>;
/// A staff member's session.
pub type StaffAuth = Session<Staff>;

/// What is kept of a login.
#[derive(Debug, Clone, PartialEq)]
struct Token<P> {
    /// The JWT for `Authorization: Bearer …`.
    token: String,
    /// When the token runs out, in milliseconds since the epoch (this browser's clock).
    expires_at: i64,
    person: P,
}

impl<P> Token<P> {
    /// `{"token": …, "expires_at": …}`, written and read through `serde_json::Value`
    /// (whose code the app has anyway) rather than a derive of its own.
    fn to_stored(&self) -> String {
        let mut m = serde_json::Map::new();
        m.insert("token".into(), self.token.clone().into());
        m.insert("expires_at".into(), self.expires_at.into());
        serde_json::Value::Object(m).to_string()
    }
}

/// A login from a fresh token, of the person the token names (`None` if it names none of this kind).
fn fresh<K: Kind>(t: TokenResponse) -> Option<Token<K::Person>> {
    let person = K::person(&t.access_token)?;
    let lifetime = i64::try_from(t.expires_in).unwrap_or(i64::MAX / 2).saturating_mul(1000);
    Some(Token { token: t.access_token, expires_at: now_ms().saturating_add(lifetime), person })
}

/// Why the last session ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Ended {
    /// The person chose "Logga ut".
    ByUser,
    /// The server no longer accepts the token (expired, ended, or the session hit its maximum age).
    Expired,
}

/// The session context: cheap to copy, lives as long as the app.
pub struct Session<K: Kind> {
    login: RwSignal<Option<Token<K::Person>>>,
    kept: K::Kept,
    kind: PhantomData<K>,
}

/// What a renewed session also keeps: whether someone is logged in (unchanged by renewals), why
/// the last session ended, and the renewal timer. A staff member's session has none of it, and
/// the handlers' app none of its code.
#[derive(Clone, Copy)]
pub struct Renewed {
    logged_in: Memo<bool>,
    ended: RwSignal<Option<Ended>>,
    timer: StoredValue<Option<TimeoutHandle>>,
}

impl<K: Kind> Clone for Session<K> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<K: Kind> Copy for Session<K> {}

/// The applicant's [`Session`] (provided by the app at its root).
pub fn use_auth() -> Auth {
    expect_context::<Auth>()
}

/// The staff member's [`Session`] (provided by the app at its root).
pub fn use_staff() -> StaffAuth {
    expect_context::<StaffAuth>()
}

impl<K: Kind> Session<K> {
    /// Creates the context from what this tab stored, provides it and (for a kind that is
    /// renewed) starts the renewal timer.
    pub fn provide() -> Self {
        let login = RwSignal::new(load::<K>());
        let kept = K::keep(move || login.with(Option::is_some));
        let session = Session { login, kept, kind: PhantomData };
        provide_context(session);
        if K::renewed(kept).is_some() {
            // (Re)schedule the renewal whenever the token changes.
            Effect::new(move |_| {
                let expires_at = session.login.with(|s| s.as_ref().map(|s| s.expires_at));
                session.cancel_renewal();
                if let Some(expires_at) = expires_at {
                    session.schedule_renewal(renew_delay(expires_at - now_ms()));
                }
            });
        }
        session
    }

    /// Whether someone is logged in (reactive; unchanged by renewals).
    pub fn is_logged_in(&self) -> bool {
        match K::renewed(self.kept) {
            Some(r) => r.logged_in.get(),
            None => self.login.with(Option::is_some),
        }
    }

    /// Why the last session ended, if it did in this tab.
    pub fn ended(&self) -> Option<Ended> {
        K::renewed(self.kept).and_then(|r| r.ended.get_untracked())
    }

    /// The current token, without tracking.
    pub fn token(&self) -> Option<String> {
        self.login.with_untracked(|s| s.as_ref().map(|s| s.token.clone()))
    }

    /// Starts a session with a token from a login; `false` (and nothing started) when the token
    /// is not one of this kind's.
    pub fn sign_in(&self, token: TokenResponse) -> bool {
        let Some(login) = fresh::<K>(token) else { return false };
        store::<K>(Some(&login));
        self.set_ended(None);
        self.login.set(Some(login));
        true
    }

    /// Forgets the session in this tab.
    fn end(&self, why: Ended) {
        store::<K>(None);
        self.cancel_renewal();
        self.set_ended(Some(why));
        self.login.set(None);
    }

    fn set_ended(&self, why: Option<Ended>) {
        if let Some(r) = K::renewed(self.kept) {
            r.ended.set(why);
        }
    }

    /// Logs out: forgets the token here at once, and gives the request that ends the session on
    /// the server, so that the token stops working everywhere (a failure there only means the
    /// token runs out by itself).
    pub fn log_out(self) -> impl Future<Output = ()> + 'static {
        let token = self.token();
        self.end(Ended::ByUser);
        end_on_server(token)
    }

    /// Calls the API with the token; a 401 ends the session here too.
    pub async fn call<T, F, Fut>(self, request: F) -> Result<T, FetchError>
    where
        F: FnOnce(String) -> Fut,
        Fut: Future<Output = Result<T, FetchError>>,
    {
        let Some(token) = self.token() else {
            return Err(FetchError::Status { status: 401, error: None });
        };
        let result = request(token).await;
        if result.as_ref().is_err_and(FetchError::is_unauthorized) {
            self.end(Ended::Expired);
            K::refused();
        }
        result
    }

    fn cancel_renewal(&self) {
        let Some(r) = K::renewed(self.kept) else { return };
        if let Some(Some(handle)) = r.timer.try_get_value() {
            handle.clear();
        }
        r.timer.try_set_value(None);
    }

    fn schedule_renewal(self, delay: Duration) {
        let Some(r) = K::renewed(self.kept) else { return };
        let handle = set_timeout_with_handle(move || self.renew(), delay).ok();
        r.timer.set_value(handle);
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
            match result.map(fresh::<K>) {
                Ok(Some(login)) => {
                    store::<K>(Some(&login));
                    self.login.set(Some(login));
                }
                Ok(None) => self.end(Ended::Expired),
                Err(e) if e.is_unauthorized() => self.end(Ended::Expired),
                Err(e) => {
                    leptos::logging::warn!("session renewal: {e}");
                    let left = self.login.with_untracked(|s| s.as_ref().map_or(0, |s| s.expires_at - now_ms()));
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

impl Session<Staff> {
    /// The logged-in staff member's name (reactive).
    pub fn name(&self) -> Option<String> {
        self.login.with(|s| s.as_ref().map(|s| s.person.name.clone()))
    }

    /// Whether the logged-in staff member may have one of `roles` (reactive): what the pages
    /// offer them. The server still checks every request.
    pub fn may_have(&self, roles: &[StaffRole]) -> bool {
        self.login.with(|s| s.as_ref().is_some_and(|s| s.person.may_have(roles)))
    }

    /// The logged-in staff member's id (not reactive).
    pub fn id(&self) -> Option<String> {
        self.login.with_untracked(|s| s.as_ref().map(|s| s.person.id.clone()))
    }
}

/// Ends a session on the server (a failure only means the token runs out by itself).
async fn end_on_server(token: Option<String>) {
    if let Some(token) = token
        && let Err(e) = api::end_session(&token).await
    {
        leptos::logging::warn!("logout: {e}");
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
fn load<K: Kind>() -> Option<Token<K::Person>> {
    let raw = session_storage()?.get_item(K::KEY).ok().flatten()?;
    let v: serde_json::Value = serde_json::from_str(&raw).ok()?;
    let token = v.get("token")?.as_str()?.to_owned();
    let expires_at = v.get("expires_at")?.as_i64()?;
    if expires_at - now_ms() <= 5_000 {
        return None;
    }
    let person = K::person(&token)?;
    Some(Token { token, expires_at, person })
}

fn store<K: Kind>(login: Option<&Token<K::Person>>) {
    let Some(storage) = session_storage() else { return };
    let _ = match login.map(Token::to_stored) {
        Some(stored) => storage.set_item(K::KEY, &stored),
        None => storage.remove_item(K::KEY),
    };
}

/// Shows `children` only to someone logged in with a session of kind `K`; anyone else is sent
/// to the kind's login page (which brings them back here afterwards).
fn require<K: Kind>(children: ChildrenFn) -> impl IntoView {
    let session = expect_context::<Session<K>>();
    Effect::new(move |was_logged_in: Option<bool>| {
        let logged_in = session.is_logged_in();
        if !logged_in {
            K::send_to_login(session, was_logged_in);
        }
        logged_in
    });
    move || session.is_logged_in().then(|| children())
}

/// Shows `children` only to a logged-in applicant; anyone else is sent to the login page, which
/// brings them back here afterwards — not after "Logga ut" on this page (which navigates by
/// itself), and with "you were logged out" when the session ran out.
#[component]
pub fn RequireLogin(children: ChildrenFn) -> impl IntoView {
    require::<Applicant>(children)
}

/// Shows `children` only to a logged-in staff member; anyone else goes to the staff login page.
#[component]
pub fn RequireStaff(children: ChildrenFn) -> impl IntoView {
    require::<Staff>(children)
}

/// Sends someone who is not (or no longer) logged in to the applicants' login page, which
/// brings them back to this address (see [`RequireLogin`]).
pub fn send_to_login(auth: Auth, was_logged_in: Option<bool>) {
    Applicant::send_to_login(auth, was_logged_in);
}

/// Goes to the staff login page, which brings the staff member back here afterwards.
fn send_to_staff_login(expired: bool) {
    let here = router::location().here();
    let mut to = format!("{STAFF_LOGIN}?till={}", router::encode(&here));
    if expired {
        to.push_str("&fel=utloggad");
    }
    navigate(&to, true);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn renews_halfway_and_at_once_when_overdue() {
        assert_eq!(renew_delay(900_000), Duration::from_secs(450));
        assert_eq!(renew_delay(0), Duration::ZERO);
        assert_eq!(renew_delay(-5_000), Duration::ZERO);
    }
}
