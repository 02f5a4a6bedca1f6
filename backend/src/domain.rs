//! Newtypes that parse once at the edge, so handlers and the database layer
//! see only valid values.

use crate::error::{AppError, ErrorCode};

/// A service's URL name: 2 to 64 of `a-z`, `0-9`, `-`, not starting or ending with `-`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Slug(String);

impl Slug {
    /// Parses a slug.
    pub fn parse(s: &str) -> Result<Self, AppError> {
        let ok = (2..=64).contains(&s.len())
            && s.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
            && !s.starts_with('-')
            && !s.ends_with('-')
            && !s.contains("--");
        if ok {
            Ok(Self(s.to_string()))
        } else {
            Err(AppError::new(
                ErrorCode::InvalidSlug,
                format!(
                    "The URL name '{s}' is not valid: use 2 to 64 lowercase letters a-z, digits and single dashes."
                ),
            ))
        }
    }
    /// The slug text.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// Days after closing before a case is purged: 1 to 3650 (ten years).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RetentionDays(u32);

impl RetentionDays {
    /// Parses a retention period after closing.
    pub fn parse(days: u32) -> Result<Self, AppError> {
        Self::parse_named(days, "retention_days_after_closing")
    }

    /// Parses the retention period in the field `name`.
    pub fn parse_named(days: u32, name: &str) -> Result<Self, AppError> {
        if (1..=3650).contains(&days) {
            Ok(Self(days))
        } else {
            Err(AppError::new(
                ErrorCode::InvalidRetention,
                format!("{name} must be between 1 and 3650 days, not {days}."),
            ))
        }
    }
    /// The number of days.
    pub fn days(self) -> u32 {
        self.0
    }
}

/// An e-mail address, trimmed, with its domain lowercased.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EmailAddress(String);

impl EmailAddress {
    /// Parses an address; `what` names the field in the error.
    pub fn parse(s: &str, what: &str) -> Result<Self, AppError> {
        shared::validate::normalise_email(s)
            .map(Self)
            .ok_or_else(|| AppError::new(ErrorCode::InvalidEmail, format!("{what} '{s}' is not an e-mail address.")))
    }
    /// The address.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// A service name: 2 to 80 characters, not starting with "Ansökan" or "Anmälan"
/// (the city's checklist: simple names, not starting with the form's genre), as
/// `shared::naming` says, the rule the builder shows while the name is typed.
pub fn check_service_name(name: &str) -> Result<String, AppError> {
    use shared::naming::{Advice, NAME_CHARS};
    shared::naming::check_name(name).map_err(|a| {
        let message = match a {
            Advice::StartsWithGenre { word, suggestion } => format!(
                "The name should not start with \"{word}\": name what the applicant wants{}.",
                suggestion.map_or_else(|| ", e.g. \"Plats i förskola\"".to_owned(), |s| format!(", e.g. \"{s}\""))
            ),
            _ => format!("The name must be {} to {} characters long.", NAME_CHARS.start(), NAME_CHARS.end()),
        };
        AppError::new(ErrorCode::InvalidServiceName, message)
    })
}

/// A required text of at most `max` characters; `what` names it in the error.
pub fn required_text(s: &str, what: &str, max: usize) -> Result<String, AppError> {
    let t = s.trim();
    if t.is_empty() {
        return Err(AppError::new(ErrorCode::MissingText, format!("{what} must not be empty.")));
    }
    if t.chars().count() > max {
        return Err(AppError::new(ErrorCode::TextTooLong, format!("{what} can be at most {max} characters.")));
    }
    Ok(t.to_string())
}

/// A staff login name: 2 to 64 of `a-z`, `0-9`, `.`, `_`, `-`.
pub fn check_username(s: &str) -> Result<String, AppError> {
    let ok = (2..=64).contains(&s.len())
        && s.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || matches!(b, b'.' | b'_' | b'-'));
    if ok {
        Ok(s.to_string())
    } else {
        Err(AppError::new(
            ErrorCode::InvalidUsername,
            "The user name must be 2 to 64 lowercase letters a-z, digits, '.', '_' or '-'.",
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs_with_uppercase_spaces_or_edge_dashes_are_rejected() {
        for bad in ["A", "a", "with space", "-lead", "trail-", "dou--ble", "åäö"] {
            assert!(Slug::parse(bad).is_err(), "{bad}");
        }
        assert_eq!(
            Slug::parse("plats-i-forskola").map(|s| s.as_str().to_string()).ok(),
            Some("plats-i-forskola".into())
        );
    }

    #[test]
    fn retention_must_be_between_one_day_and_ten_years() {
        assert!(RetentionDays::parse(0).is_err());
        assert!(RetentionDays::parse(3651).is_err());
        assert_eq!(RetentionDays::parse(30).map(|r| r.days()).ok(), Some(30));
    }

    #[test]
    fn service_names_starting_with_ansokan_or_anmalan_are_rejected() {
        assert!(check_service_name("Ansökan om bygglov").is_err());
        assert!(check_service_name("anmälan av skada").is_err());
        assert_eq!(check_service_name("  Bygglov ").ok(), Some("Bygglov".into()));
    }
}
