//! Staff passwords: argon2id PHC strings. Verification runs on a blocking
//! thread so it never stalls the async workers.

use argon2::Argon2;
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString, rand_core::OsRng};
use secrecy::{ExposeSecret, SecretString};

/// Shortest accepted password.
pub const MIN_LENGTH: usize = 12;

/// Hashes a password.
pub fn hash(password: &SecretString) -> Result<String, String> {
    let salt = SaltString::generate(&mut OsRng);
    Argon2::default()
        .hash_password(password.expose_secret().as_bytes(), &salt)
        .map(|h| h.to_string())
        .map_err(|e| e.to_string())
}

/// Checks a password against a stored hash.
pub fn verify(password: &SecretString, stored: &str) -> bool {
    PasswordHash::new(stored)
        .map(|h| Argon2::default().verify_password(password.expose_secret().as_bytes(), &h).is_ok())
        .unwrap_or(false)
}

/// A hash of a random password, verified against when the user name is
/// unknown, so a login takes as long whether or not the account exists.
pub fn dummy_hash() -> &'static str {
    static DUMMY: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    DUMMY.get_or_init(|| {
        let random: String = uuid::Uuid::new_v4().to_string();
        hash(&SecretString::from(random)).unwrap_or_default()
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_right_password_verifies_and_a_wrong_one_does_not() {
        let h = hash(&SecretString::from("correct horse battery")).unwrap();
        assert!(verify(&SecretString::from("correct horse battery"), &h));
        assert!(!verify(&SecretString::from("wrong horse battery"), &h));
        assert!(!verify(&SecretString::from("anything"), "not a hash"));
    }
}
