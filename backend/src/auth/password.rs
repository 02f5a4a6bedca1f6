//! Staff passwords: argon2id PHC strings with OWASP's minimum parameters
//! (m = 19 MiB, t = 2, p = 1: `Argon2::default()`). Logins are checked by
//! [`PasswordChecker`]: a fixed number at a time on blocking threads, each in
//! memory allocated once and reused, so that a flood of logins (no account
//! needed) can neither exhaust the server's memory nor its threads; the rest
//! wait briefly and are then refused with 429 and `Retry-After`.

use std::time::Duration;

use argon2::password_hash::{Output, PasswordHash, PasswordHasher, SaltString, rand_core::OsRng};
use argon2::{Algorithm, Argon2, Block, Params, Version};
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

/// Checks a password against a stored hash with the argon2 crate's own
/// verifier: the reference [`PasswordChecker`] is tested against.
#[cfg(test)]
pub fn verify(password: &SecretString, stored: &str) -> bool {
    PasswordHash::new(stored)
        .map(|h| {
            argon2::PasswordVerifier::verify_password(&Argon2::default(), password.expose_secret().as_bytes(), &h)
                .is_ok()
        })
        .unwrap_or(false)
}

/// The largest memory cost a stored hash may ask for (64 MiB); a hash that
/// asks for more is not verified (it was not made by this platform).
const MAX_BLOCKS: usize = 64 * 1024;

/// Checks passwords a few at a time. Each of its `concurrency` slots owns a
/// memory buffer that grows to the largest cost verified and is reused, so
/// the memory for hashing is at most `concurrency` × the cost, whatever the load.
pub struct PasswordChecker {
    permits: tokio::sync::Semaphore,
    buffers: std::sync::Mutex<Vec<Vec<Block>>>,
    wait: Duration,
}

/// All slots stayed busy for the whole wait: the caller should answer 429.
#[derive(Debug, thiserror::Error)]
#[error("too many password checks at once")]
pub struct Busy;

impl PasswordChecker {
    /// `concurrency` checks at a time (at least 1); a check waits at most `wait` for a slot.
    pub fn new(concurrency: usize, wait: Duration) -> Self {
        let n = concurrency.max(1);
        Self {
            permits: tokio::sync::Semaphore::new(n),
            buffers: std::sync::Mutex::new((0..n).map(|_| Vec::new()).collect()),
            wait,
        }
    }

    /// Whether `password` matches the PHC string `stored`.
    pub async fn verify(&self, password: SecretString, stored: String) -> Result<bool, Busy> {
        let _permit =
            tokio::time::timeout(self.wait, self.permits.acquire()).await.map_err(|_| Busy)?.map_err(|_| Busy)?;
        // A permit guarantees a free buffer.
        let mut blocks = self.buffers.lock().map_err(|_| Busy)?.pop().unwrap_or_default();
        let (ok, blocks) = tokio::task::spawn_blocking(move || {
            let ok = verify_in(&password, &stored, &mut blocks);
            (ok, blocks)
        })
        .await
        .map_err(|_| Busy)?;
        if let Ok(mut free) = self.buffers.lock() {
            free.push(blocks);
        }
        Ok(ok)
    }
}

/// [`verify`] in the given memory (grown when the hash's cost needs more).
fn verify_in(password: &SecretString, stored: &str, blocks: &mut Vec<Block>) -> bool {
    let Ok(hash) = PasswordHash::new(stored) else { return false };
    let (Ok(params), Ok(algorithm)) = (Params::try_from(&hash), Algorithm::try_from(hash.algorithm)) else {
        return false;
    };
    let version = match hash.version.map(Version::try_from).transpose() {
        Ok(v) => v.unwrap_or_default(),
        Err(_) => return false,
    };
    let (Some(salt), Some(expected)) = (hash.salt, hash.hash) else { return false };
    let mut salt_bytes = [0u8; 64];
    let Ok(salt) = salt.decode_b64(&mut salt_bytes) else { return false };
    let need = params.block_count();
    if need > MAX_BLOCKS {
        tracing::error!(blocks = need, "a stored password hash asks for more memory than allowed; not verified");
        return false;
    }
    if blocks.len() < need {
        blocks.resize(need, Block::default());
    }
    let mut out = vec![0u8; expected.len()];
    Argon2::new(algorithm, version, params)
        .hash_password_into_with_memory(password.expose_secret().as_bytes(), salt, &mut out, &mut blocks[..need])
        .is_ok()
        // `Output`'s equality is constant-time.
        && Output::new(&out).is_ok_and(|o| o == expected)
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
    fn the_checker_in_its_reused_memory_agrees_with_the_reference_verifier() {
        let h = hash(&SecretString::from("correct horse battery")).unwrap();
        let mut blocks = Vec::new();
        assert!(verify_in(&SecretString::from("correct horse battery"), &h, &mut blocks));
        assert_eq!(blocks.len(), 19 * 1024, "OWASP's minimum: 19 MiB");
        assert!(!verify_in(&SecretString::from("correct horse batterx"), &h, &mut blocks));
        assert!(!verify_in(&SecretString::from("anything"), "not a hash", &mut blocks));
        assert_eq!(blocks.len(), 19 * 1024, "the memory is reused, not grown");
    }

    #[tokio::test]
    async fn a_check_that_finds_every_slot_busy_for_the_whole_wait_is_refused() {
        let checker = PasswordChecker::new(1, Duration::from_millis(50));
        let _held = checker.permits.acquire().await.unwrap();
        let h = dummy_hash().to_string();
        assert!(checker.verify(SecretString::from("x"), h).await.is_err());
    }

    #[test]
    fn the_right_password_verifies_and_a_wrong_one_does_not() {
        let h = hash(&SecretString::from("correct horse battery")).unwrap();
        assert!(verify(&SecretString::from("correct horse battery"), &h));
        assert!(!verify(&SecretString::from("wrong horse battery"), &h));
        assert!(!verify(&SecretString::from("anything"), "not a hash"));
    }
}
