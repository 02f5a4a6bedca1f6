//! Private links for anonymous applicants: how someone who reported a fault
//! without logging in follows their case, reads the city's messages and
//! answers them.
//!
//! An anonymous case whose form gave an e-mail address has a link
//! `{public_url}/mina-sidor/folj/{reference}#{token}`. The token is an
//! unguessable capability: HMAC-SHA256 of the case's id under a key derived
//! from `auth.jwt_secret` (256 bits, base64url). **Nothing from which it can be
//! made is stored**: not the token, not a hash of it; the mail worker makes it
//! again when it renders a mail, and a request is checked by making it again
//! and comparing in constant time. The token stands after `#`, so the browser
//! never sends it in a request line (no access log holds it); the page sends
//! it in the `Authorization: CaseLink <token>` header.
//!
//! The link ends when the case is purged (there is nothing left to open), when
//! a handler revokes it (`cases.follow_link_revoked_at`), and for every case at
//! once when `auth.jwt_secret` changes. Without an e-mail address the case has
//! no link: nobody could be told it, and handlers cannot write to the
//! applicant (409 `applicant_unreachable`).

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use hmac::{Hmac, Mac};
use secrecy::{ExposeSecret, SecretString};
use sha2::Sha256;
use uuid::Uuid;

/// The path of the page where an anonymous applicant follows a case.
pub const FOLLOW_PATH: &str = "/mina-sidor/folj";

/// The authorization scheme of a request made with a case's private link.
pub const SCHEME: &str = "CaseLink";

/// Makes and checks the private links.
#[derive(Clone)]
pub struct FollowLinks {
    key: [u8; 32],
}

impl std::fmt::Debug for FollowLinks {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("FollowLinks(…)")
    }
}

fn mac(key: &[u8]) -> Hmac<Sha256> {
    // HMAC takes a key of any length: this cannot fail.
    <Hmac<Sha256> as Mac>::new_from_slice(key).unwrap_or_else(|_| unreachable!("HMAC accepts any key length"))
}

impl FollowLinks {
    /// The links of a server whose tokens are signed with `secret`: their key
    /// is derived from it, separate from the tokens' own use of it.
    pub fn new(secret: &SecretString) -> Self {
        let mut m = mac(secret.expose_secret().as_bytes());
        m.update(b"etjanster follow link v1");
        Self { key: m.finalize().into_bytes().into() }
    }

    fn case_mac(&self, case_id: Uuid) -> Hmac<Sha256> {
        let mut m = mac(&self.key);
        m.update(case_id.as_bytes());
        m
    }

    /// The token of a case's link.
    pub fn token(&self, case_id: Uuid) -> String {
        URL_SAFE_NO_PAD.encode(self.case_mac(case_id).finalize().into_bytes())
    }

    /// Whether `token` is the token of the case (compared in constant time).
    pub fn verify(&self, case_id: Uuid, token: &str) -> bool {
        match URL_SAFE_NO_PAD.decode(token.trim()) {
            Ok(bytes) => self.case_mac(case_id).verify_slice(&bytes).is_ok(),
            Err(_) => false,
        }
    }

    /// The whole link of a case, for a mail.
    pub fn url(&self, public_url: &str, reference: &str, case_id: Uuid) -> String {
        format!("{}{FOLLOW_PATH}/{reference}#{}", public_url.trim_end_matches('/'), self.token(case_id))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn links(secret: &str) -> FollowLinks {
        FollowLinks::new(&SecretString::from(secret.to_string()))
    }

    #[test]
    fn a_token_opens_its_own_case_only_and_only_under_its_own_secret() {
        let a = links("a-secret-that-is-long-enough-for-tokens-1");
        let (one, two) = (Uuid::now_v7(), Uuid::now_v7());
        let token = a.token(one);
        assert_eq!(token.len(), 43, "256 bits in base64url");
        assert!(a.verify(one, &token));
        assert!(!a.verify(two, &token), "another case");
        assert!(!links("another-secret-that-is-long-enough-2").verify(one, &token), "another secret");
        let mut flipped = token.clone().into_bytes();
        flipped[10] = if flipped[10] == b'A' { b'B' } else { b'A' };
        assert!(!a.verify(one, &String::from_utf8(flipped).expect("ascii")));
        for bad in ["", "not base64!", &token[..20]] {
            assert!(!a.verify(one, bad), "{bad}");
        }
    }

    #[test]
    fn the_link_carries_the_token_after_the_hash_so_no_request_line_holds_it() {
        let a = links("a-secret-that-is-long-enough-for-tokens-1");
        let id = Uuid::now_v7();
        let url = a.url("https://e.example.se/", "HBG-2026-7KQ4-MX9C", id);
        assert_eq!(url, format!("https://e.example.se/mina-sidor/folj/HBG-2026-7KQ4-MX9C#{}", a.token(id)));
    }
}
