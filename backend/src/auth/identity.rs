//! Applicant identity providers. Real e-ID (BankID, OIDC brokers) plugs in
//! behind [`IdentityProvider`]; until then the clearly named
//! [`DevIdentityProvider`] serves development and tests. It accepts only
//! Skatteverket's official test personnummer and is off unless configured on.

use std::collections::HashSet;
use std::sync::OnceLock;

use shared::Personnummer;

/// A verified applicant identity.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VerifiedIdentity {
    /// The personnummer.
    pub personnummer: Personnummer,
    /// The name, when the provider gives one.
    pub name: Option<String>,
}

/// Why an identity could not be verified.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum IdentityError {
    /// Not a valid personnummer.
    #[error("that is not a valid personnummer")]
    Invalid,
    /// A valid personnummer that this provider does not accept.
    #[error("the development login accepts only Skatteverket's test personnummer")]
    NotATestNumber,
}

/// Something that turns a login into a verified identity.
pub trait IdentityProvider: Send + Sync {
    /// The provider's name, for logs and audit.
    fn name(&self) -> &'static str;
    /// Verifies a login assertion.
    fn verify(&self, assertion: &str) -> Result<VerifiedIdentity, IdentityError>;
}

/// Development login: the applicant types one of Skatteverket's test
/// personnummer. Never enable in production.
pub struct DevIdentityProvider;

static TEST_PERSONNUMMER: &str = include_str!("../../../testdata/testpersonnummer.csv");
static TEST_SAMORDNINGSNUMMER: &str = include_str!("../../../testdata/testsamordningsnummer.csv");

/// True when `digits` (12 digits) is on Skatteverket's published test lists.
pub fn is_official_test_number(digits: &str) -> bool {
    static SET: OnceLock<HashSet<&'static str>> = OnceLock::new();
    SET.get_or_init(|| {
        TEST_PERSONNUMMER
            .lines()
            .chain(TEST_SAMORDNINGSNUMMER.lines())
            .map(str::trim)
            .filter(|l| l.len() == 12 && l.bytes().all(|b| b.is_ascii_digit()))
            .collect()
    })
    .contains(digits)
}

impl IdentityProvider for DevIdentityProvider {
    fn name(&self) -> &'static str {
        "development"
    }

    fn verify(&self, assertion: &str) -> Result<VerifiedIdentity, IdentityError> {
        let p = Personnummer::parse(assertion).map_err(|_| IdentityError::Invalid)?;
        if !is_official_test_number(&p.as_digits()) {
            return Err(IdentityError::NotATestNumber);
        }
        Ok(VerifiedIdentity { personnummer: p, name: Some("Testperson".into()) })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_dev_provider_accepts_official_test_numbers_only() {
        let dev = DevIdentityProvider;
        assert!(dev.verify("189001019802").is_ok());
        assert!(dev.verify("191401682396").is_ok());
        // A formally valid number that is not on the test list is refused
        // (used only here, to show the refusal; never stored).
        assert_eq!(dev.verify("191212121212"), Err(IdentityError::NotATestNumber));
        assert_eq!(dev.verify("nonsense"), Err(IdentityError::Invalid));
    }
}
