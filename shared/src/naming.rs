//! A service's name, as the city's checklist wants it: short and easy to understand, naming
//! what the applicant wants rather than the form's genre. One rule for the server, which
//! refuses what [`check_name`] refuses, and for the builder, which shows [`advice`] while
//! the name is typed.

/// Shortest and longest name the platform takes.
pub const NAME_CHARS: std::ops::RangeInclusive<usize> = 2..=80;
/// Over this many characters a name is long: a warning, not a refusal.
pub const LONG_NAME: usize = 60;
/// The words a name must not start with: the genre of the form, not what it is for.
const GENRE_WORDS: [&str; 2] = ["ansökan", "anmälan"];
/// Small words that may follow the genre word ("Ansökan om bygglov").
const LINKING_WORDS: [&str; 5] = ["om", "av", "till", "för", "på"];

/// What the builder says about a name while it is typed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Advice {
    /// Empty or one character: refused.
    TooShort,
    /// Over 80 characters: refused.
    TooLong,
    /// Starts with "Ansökan" or "Anmälan": refused, with the name without it.
    StartsWithGenre {
        /// The word as written ("Ansökan").
        word: String,
        /// The name without it ("Bygglov"), if anything is left.
        suggestion: Option<String>,
    },
    /// Over [`LONG_NAME`] characters: a warning (a shorter name reads better in lists and on phones).
    Long {
        /// How many characters it has.
        chars: usize,
    },
}

impl Advice {
    /// Whether the platform refuses a name with this (the others are warnings).
    pub fn refuses(&self) -> bool {
        !matches!(self, Advice::Long { .. })
    }
}

/// Everything to say about a name (trimmed first), the refusals first; empty for a good name.
pub fn advice(name: &str) -> Vec<Advice> {
    let name = name.trim();
    let chars = name.chars().count();
    let mut out = Vec::new();
    if chars < *NAME_CHARS.start() {
        out.push(Advice::TooShort);
    } else if chars > *NAME_CHARS.end() {
        out.push(Advice::TooLong);
    }
    if let Some(genre) = starts_with_genre(name) {
        out.push(genre);
    }
    if chars > LONG_NAME && chars <= *NAME_CHARS.end() {
        out.push(Advice::Long { chars });
    }
    out
}

/// The name, trimmed, or the first reason it is refused.
pub fn check_name(name: &str) -> Result<String, Advice> {
    match advice(name).into_iter().find(Advice::refuses) {
        Some(a) => Err(a),
        None => Ok(name.trim().to_owned()),
    }
}

fn starts_with_genre(name: &str) -> Option<Advice> {
    let mut words = name.split_whitespace();
    let first = words.next()?;
    let bare = first.trim_end_matches([':', ',', '-', '–']);
    if !GENRE_WORDS.iter().any(|g| bare.to_lowercase() == *g || first.to_lowercase().starts_with(g)) {
        return None;
    }
    let word: String = first.chars().take(GENRE_WORDS[0].chars().count()).collect();
    let mut rest: Vec<&str> = words.collect();
    if rest.first().is_some_and(|w| LINKING_WORDS.contains(&w.to_lowercase().as_str())) {
        rest.remove(0);
    }
    let rest = rest.join(" ");
    let suggestion = (!rest.is_empty()).then(|| capitalised(&rest));
    Some(Advice::StartsWithGenre { word, suggestion })
}

fn capitalised(s: &str) -> String {
    let mut chars = s.chars();
    match chars.next() {
        Some(c) => c.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::{Advice, advice, check_name};

    #[test]
    fn a_short_plain_name_gets_no_advice() {
        assert_eq!(advice("Plats i förskola"), []);
        assert_eq!(check_name("  Bygglov ").ok().as_deref(), Some("Bygglov"));
    }

    #[test]
    fn a_name_starting_with_the_genre_is_refused_with_the_name_without_it() {
        assert_eq!(
            advice("Ansökan om bygglov"),
            [Advice::StartsWithGenre { word: "Ansökan".into(), suggestion: Some("Bygglov".into()) }]
        );
        assert_eq!(
            check_name("anmälan av skada på gata"),
            Err(Advice::StartsWithGenre { word: "anmälan".into(), suggestion: Some("Skada på gata".into()) })
        );
        assert_eq!(advice("Ansökan"), [Advice::StartsWithGenre { word: "Ansökan".into(), suggestion: None }]);
        assert!(check_name("Ansökningsstöd").is_ok(), "only the words themselves");
    }

    #[test]
    fn a_long_name_is_a_warning_and_an_overlong_one_a_refusal() {
        let long = "Bidrag till föreningar som ordnar lovaktiviteter för barn och unga";
        assert_eq!(advice(long), [Advice::Long { chars: long.chars().count() }]);
        assert!(check_name(long).is_ok());
        assert_eq!(check_name(&"a".repeat(81)), Err(Advice::TooLong));
        assert_eq!(check_name(" x "), Err(Advice::TooShort));
        assert_eq!(check_name(""), Err(Advice::TooShort));
    }
}
