//! The two kinds of session, an applicant's and a staff member's, and what differs between them.

use leptos::prelude::*;
use shared::api::StaffRole;
use shared::handling::MessageAuthor;
use shared::validate::Localized;

use super::{Ended, Renewed, Session, login_href, send_to_staff_login};
use crate::common::api::FetchError;
use crate::common::router::{self, navigate};

/// What differs between an applicant's session and a staff member's.
pub trait Kind: Send + Sync + 'static {
    /// What the token says of the person, besides being theirs (the staff's name and roles).
    type Person: Clone + PartialEq + Send + Sync + 'static;
    /// The `sessionStorage` key of the session.
    const KEY: &'static str;
    /// What a session of this kind keeps besides its token: [`Renewed`] for a kind whose token
    /// is renewed on a timer while the tab is open (an applicant's), nothing for the other.
    type Kept: Copy + Send + Sync + 'static;
    /// Makes what the session keeps; `logged_in` says whether there is a token (reactive).
    fn keep(logged_in: impl Fn() -> bool + Send + Sync + 'static) -> Self::Kept;
    /// The renewal part of what the session keeps, if it is renewed.
    fn renewed(kept: Self::Kept) -> Option<Renewed>;
    /// Whether this is a staff member (the handlers' pages), not an applicant.
    const STAFF: bool;
    /// Who wrote a message this kind of person wrote (their own messages in a message list).
    const AUTHOR: MessageAuthor;
    /// The class of a button that looks like a link on this kind's pages (a file to download).
    const LINK_BUTTON: &'static str;
    /// The class of the small print beside such a button (a file's size).
    const ASIDE: &'static str;
    /// The person a token is of; `None` when it cannot be this kind's token.
    fn person(token: &str) -> Option<Self::Person>;
    /// The session was refused by the server (and is over here).
    fn refused();
    /// Sends someone who is not (or no longer) logged in to the login page; `was_logged_in` is
    /// what the page saw before.
    fn send_to_login(session: Session<Self>, was_logged_in: Option<bool>)
    where
        Self: Sized;
    /// Why a file could not be downloaded, as this kind's pages say it: in both languages on the
    /// applicant's, the server's reason on the handlers'.
    type DownloadError: Clone + Send + Sync + 'static;
    /// What to say when a file could not be downloaded; nothing when the session was refused
    /// and the page's gate takes over.
    fn download_failed(error: &FetchError) -> Option<Self::DownloadError>;
}

/// An applicant, logged in with e-ID: the applicants' app and Mina sidor.
pub struct Applicant;

/// A staff member, logged in with user name and password: the handlers' app.
pub struct Staff;

impl Kind for Applicant {
    type Person = ();
    const KEY: &'static str = "etjanster.session";
    type Kept = Renewed;

    fn keep(logged_in: impl Fn() -> bool + Send + Sync + 'static) -> Renewed {
        Renewed {
            logged_in: Memo::new(move |_| logged_in()),
            ended: RwSignal::new(None),
            timer: StoredValue::new(None),
        }
    }

    fn renewed(kept: Renewed) -> Option<Renewed> {
        Some(kept)
    }
    const STAFF: bool = false;
    const AUTHOR: MessageAuthor = MessageAuthor::Applicant;
    const LINK_BUTTON: &'static str = "button-link";
    const ASIDE: &'static str = "hint";

    fn person(_token: &str) -> Option<()> {
        Some(())
    }

    // The page's gate ([`RequireLogin`]) sends the applicant to the login page.
    fn refused() {}

    fn send_to_login(session: Session<Self>, was_logged_in: Option<bool>) {
        if was_logged_in == Some(true) && session.ended() == Some(Ended::ByUser) {
            return;
        }
        let mut to = login_href(&router::location().here());
        if session.ended() == Some(Ended::Expired) {
            to.push_str(if to.contains('?') { "&fel=utloggad" } else { "?fel=utloggad" });
        }
        navigate(&to, true);
    }

    type DownloadError = Localized;

    fn download_failed(error: &FetchError) -> Option<Localized> {
        if error.is_unauthorized() {
            return None;
        }
        let why = error.user_message();
        Some(Localized {
            sv: format!("Filen kunde inte hämtas. {}", why.sv),
            en: format!("The file could not be downloaded. {}", why.en),
        })
    }
}

impl Kind for Staff {
    type Person = StaffPerson;
    const KEY: &'static str = "etjanster.personal";
    type Kept = ();

    fn keep(_logged_in: impl Fn() -> bool + Send + Sync + 'static) {}

    fn renewed((): ()) -> Option<Renewed> {
        None
    }
    const STAFF: bool = true;
    const AUTHOR: MessageAuthor = MessageAuthor::Staff;
    const LINK_BUTTON: &'static str = "link-button";
    const ASIDE: &'static str = "meta";

    fn person(token: &str) -> Option<StaffPerson> {
        StaffPerson::of(token)
    }

    fn refused() {
        send_to_staff_login(true);
    }

    fn send_to_login(_session: Session<Self>, _was_logged_in: Option<bool>) {
        send_to_staff_login(false);
    }

    type DownloadError = String;

    fn download_failed(error: &FetchError) -> Option<String> {
        Some(error.reason())
    }
}

/// What a staff member's token says of them.
#[derive(Debug, Clone, PartialEq)]
pub struct StaffPerson {
    /// The staff member's id (the token's subject).
    pub id: String,
    /// The staff member's name (from the token).
    pub name: String,
    /// The roles the token names (its `roles` claim), or `None` when it names none: then
    /// the pages offer everything and the server, which checks every request, decides.
    pub roles: Option<Vec<StaffRole>>,
}

impl StaffPerson {
    /// The person of a staff token; `None` if the token is not a JWT.
    fn of(token: &str) -> Option<StaffPerson> {
        let claims = jwt_claims(token)?;
        let id = claims.get("sub")?.as_str()?.to_owned();
        let name = claims.get("name").and_then(|n| n.as_str()).unwrap_or_default().to_owned();
        Some(StaffPerson { id, name, roles: roles_claim(&claims) })
    }

    /// Whether the person may have one of `roles`: they have one, or their token names no roles.
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

#[cfg(test)]
mod tests {
    use super::*;

    fn person(claims: serde_json::Value) -> StaffPerson {
        let claims = claims.as_object().cloned().unwrap_or_default();
        StaffPerson { id: String::new(), name: String::new(), roles: roles_claim(&claims) }
    }

    #[test]
    fn the_roles_claim_decides_what_the_pages_offer() {
        let owner = person(serde_json::json!({ "roles": ["handler", "service_owner", "astronaut"] }));
        assert_eq!(owner.roles, Some(vec![StaffRole::Handler, StaffRole::ServiceOwner]));
        assert!(owner.may_have(&[StaffRole::ServiceOwner, StaffRole::PlatformAdmin]));
        assert!(!owner.may_have(&[StaffRole::PlatformAdmin]));
        let handler = person(serde_json::json!({ "roles": ["handler"] }));
        assert!(!handler.may_have(&[StaffRole::ServiceOwner, StaffRole::PlatformAdmin]));
    }

    #[test]
    fn a_token_without_roles_is_offered_everything_and_the_server_decides() {
        let unknown = person(serde_json::json!({ "sub": "x" }));
        assert_eq!(unknown.roles, None);
        assert!(unknown.may_have(&[StaffRole::PlatformAdmin]));
    }
}
