//! A staff member's session in the browser, apart from the applicant's: the
//! token from `POST /auth/staff/token`, kept in `sessionStorage` (this tab
//! only) under its own key, dropped on logout (which ends the staff session
//! on the server too), when it runs out, or when the server answers 401. Provided as the context [`StaffAuth`].

use leptos::prelude::*;
use shared::api::StaffRole;

use crate::api::FetchError;
use crate::router::{self, navigate};

/// `sessionStorage` key of the staff session.
const STAFF_KEY: &str = "etjanster.personal";
/// The staff login page.
pub const STAFF_LOGIN: &str = "/handlaggning/logga-in";

/// What is kept of a staff login.
#[derive(Debug, Clone, PartialEq)]
pub struct StaffSession {
    /// The JWT for `Authorization: Bearer …`.
    pub token: String,
    /// The staff member's id (the token's subject).
    pub id: String,
    /// The staff member's name (from the token).
    pub name: String,
    /// The roles the token names (its `roles` claim), or `None` when it names none: then
    /// the pages offer everything and the server, which checks every request, decides.
    pub roles: Option<Vec<StaffRole>>,
    /// When the token runs out, in milliseconds since the epoch.
    expires_at: i64,
}

impl StaffSession {
    /// A session from a fresh token that lives `expires_in` seconds; `None` if the token is not a JWT.
    pub fn new(token: String, expires_in: u64) -> Option<StaffSession> {
        let claims = jwt_claims(&token)?;
        let id = claims.get("sub")?.as_str()?.to_owned();
        let name = claims.get("name").and_then(|n| n.as_str()).unwrap_or_default().to_owned();
        let roles = roles_claim(&claims);
        let lifetime = i64::try_from(expires_in).unwrap_or(i64::MAX / 2).saturating_mul(1000);
        Some(StaffSession { token, id, name, roles, expires_at: now_ms().saturating_add(lifetime) })
    }

    /// Whether the session may have one of `roles`: it has one, or its token names no roles.
    pub fn may_have(&self, roles: &[StaffRole]) -> bool {
        self.roles.as_ref().is_none_or(|have| have.iter().any(|r| roles.contains(r)))
    }
}

/// The `roles` claim (`["handler", "service_owner"]`): the roles this app knows, or `None`
/// when the token has no such claim. Only for what the pages offer; the server checks each request.
fn roles_claim(claims: &serde_json::Map<String, serde_json::Value>) -> Option<Vec<StaffRole>> {
    let roles = claims.get("roles")?.as_array()?;
    Some(roles.iter().filter_map(|r| r.as_str().and_then(StaffRole::parse)).collect())
}

/// The claims of a JWT (its middle part), without checking the signature: only for showing the
/// name and choosing what the pages offer.
fn jwt_claims(token: &str) -> Option<serde_json::Map<String, serde_json::Value>> {
    let payload = token.split('.').nth(1)?;
    let mut b64: String = payload
        .chars()
        .map(|c| match c {
            '-' => '+',
            '_' => '/',
            c => c,
        })
        .collect();
    while !b64.len().is_multiple_of(4) {
        b64.push('=');
    }
    let binary = window().atob(&b64).ok()?;
    // `atob` gives one char per byte: back to bytes, then UTF-8.
    let bytes: Vec<u8> = binary.chars().map(|c| u8::try_from(u32::from(c)).unwrap_or(b'?')).collect();
    serde_json::from_slice(&bytes).ok()
}

/// The staff session context.
#[derive(Clone, Copy)]
pub struct StaffAuth {
    session: RwSignal<Option<StaffSession>>,
}

/// The [`StaffAuth`] context (provided by the app at its root).
pub fn use_staff() -> StaffAuth {
    expect_context::<StaffAuth>()
}

impl StaffAuth {
    /// Creates the context from what this tab stored and provides it.
    pub fn provide() -> StaffAuth {
        let auth = StaffAuth { session: RwSignal::new(load()) };
        provide_context(auth);
        auth
    }

    /// Whether a staff member is logged in (reactive).
    pub fn is_logged_in(&self) -> bool {
        self.session.with(Option::is_some)
    }

    /// The logged-in staff member's name (reactive).
    pub fn name(&self) -> Option<String> {
        self.session.with(|s| s.as_ref().map(|s| s.name.clone()))
    }

    /// Whether the logged-in staff member may have one of `roles` (reactive): what the pages
    /// offer them. The server still checks every request.
    pub fn may_have(&self, roles: &[StaffRole]) -> bool {
        self.session.with(|s| s.as_ref().is_some_and(|s| s.may_have(roles)))
    }

    /// The logged-in staff member's id (not reactive).
    pub fn id(&self) -> Option<String> {
        self.session.with_untracked(|s| s.as_ref().map(|s| s.id.clone()))
    }

    /// Starts a session.
    pub fn sign_in(&self, session: StaffSession) {
        store(Some(&session));
        self.session.set(Some(session));
    }

    /// Forgets the session in this tab.
    fn forget(&self) {
        store(None);
        self.session.set(None);
    }

    /// Logs out: forgets the token here at once and ends the staff session on
    /// the server, so that the token stops working everywhere.
    pub fn log_out(&self) {
        let token = self.session.with_untracked(|s| s.as_ref().map(|s| s.token.clone()));
        self.forget();
        if let Some(token) = token {
            leptos::task::spawn_local(async move {
                if let Err(e) = crate::api::end_session(&token).await {
                    leptos::logging::warn!("logout: {e}");
                }
            });
        }
    }

    /// Calls the API with the token; a 401 ends the session and goes to the login page.
    pub async fn call<T, F, Fut>(self, request: F) -> Result<T, FetchError>
    where
        F: FnOnce(String) -> Fut,
        Fut: std::future::Future<Output = Result<T, FetchError>>,
    {
        let token = self.session.with_untracked(|s| s.as_ref().map(|s| s.token.clone()));
        let Some(token) = token else {
            return Err(FetchError::Status { status: 401, error: None });
        };
        let result = request(token).await;
        if result.as_ref().is_err_and(FetchError::is_unauthorized) {
            self.forget();
            send_to_staff_login(true);
        }
        result
    }
}

/// Goes to the staff login page, which brings the staff member back here afterwards.
pub fn send_to_staff_login(expired: bool) {
    let here = router::location().here();
    let mut to = format!("{STAFF_LOGIN}?till={}", router::encode(&here));
    if expired {
        to.push_str("&fel=utloggad");
    }
    navigate(&to, true);
}

/// Shows `children` only to a logged-in staff member; anyone else goes to the staff login page.
#[component]
pub fn RequireStaff(children: ChildrenFn) -> impl IntoView {
    let auth = use_staff();
    Effect::new(move |_| {
        if !auth.is_logged_in() {
            send_to_staff_login(false);
        }
    });
    move || auth.is_logged_in().then(|| children())
}

fn now_ms() -> i64 {
    js_sys::Date::now() as i64
}

fn storage() -> Option<web_sys::Storage> {
    window().session_storage().ok().flatten()
}

/// The stored session, if its token has at least a few seconds left.
fn load() -> Option<StaffSession> {
    let raw = storage()?.get_item(STAFF_KEY).ok().flatten()?;
    let v: serde_json::Value = serde_json::from_str(&raw).ok()?;
    let token = v.get("token")?.as_str()?.to_owned();
    let expires_at = v.get("expires_at")?.as_i64()?;
    let left = expires_at - now_ms();
    if left <= 5_000 {
        return None;
    }
    let mut session = StaffSession::new(token, 0)?;
    session.expires_at = expires_at;
    Some(session)
}

fn store(session: Option<&StaffSession>) {
    let Some(storage) = storage() else { return };
    let _ = match session {
        Some(s) => {
            let mut m = serde_json::Map::new();
            m.insert("token".into(), s.token.clone().into());
            m.insert("expires_at".into(), s.expires_at.into());
            storage.set_item(STAFF_KEY, &serde_json::Value::Object(m).to_string())
        }
        None => storage.remove_item(STAFF_KEY),
    };
}

#[cfg(test)]
mod tests {
    use super::*;

    fn session(claims: serde_json::Value) -> StaffSession {
        let claims = claims.as_object().cloned().unwrap_or_default();
        StaffSession {
            token: String::new(),
            id: String::new(),
            name: String::new(),
            roles: roles_claim(&claims),
            expires_at: 0,
        }
    }

    #[test]
    fn the_roles_claim_decides_what_the_pages_offer() {
        let owner = session(serde_json::json!({ "roles": ["handler", "service_owner", "astronaut"] }));
        assert_eq!(owner.roles, Some(vec![StaffRole::Handler, StaffRole::ServiceOwner]));
        assert!(owner.may_have(&[StaffRole::ServiceOwner, StaffRole::PlatformAdmin]));
        assert!(!owner.may_have(&[StaffRole::PlatformAdmin]));
        let handler = session(serde_json::json!({ "roles": ["handler"] }));
        assert!(!handler.may_have(&[StaffRole::ServiceOwner, StaffRole::PlatformAdmin]));
    }

    #[test]
    fn a_token_without_roles_is_offered_everything_and_the_server_decides() {
        let unknown = session(serde_json::json!({ "sub": "x" }));
        assert_eq!(unknown.roles, None);
        assert!(unknown.may_have(&[StaffRole::PlatformAdmin]));
    }
}
