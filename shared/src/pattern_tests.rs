//! Tests of the pattern engine: what it matches, what it refuses and why, its bounds, and a
//! property test that it agrees with the `regex` family (regex-lite, the engine patterns were
//! matched with before) on every pattern of its syntax.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use proptest::prelude::*;

use super::*;

fn matches(pattern: &str, text: &str) -> bool {
    Pattern::new(pattern).unwrap().matches(text)
}

#[test]
fn a_pattern_matches_the_whole_answer_and_nothing_less() {
    assert!(matches("[0-9]{5}", "25225"));
    assert!(!matches("[0-9]{5}", "252250"));
    assert!(!matches("[0-9]{5}", "x25225"));
    assert!(matches("ABC\\d{3}|[A-Z]{3}\\d{2}[A-Z0-9]", "ABC123"));
    assert!(matches("ABC\\d{3}|[A-Z]{3}\\d{2}[A-Z0-9]", "ABC12Q"));
    assert!(matches("(?i)[a-zåäöÅÄÖ]+", "RÅå"), "(?i) folds ASCII letters; åäö are listed in both cases");
    assert!(!matches("(?i)[a-z]+", "Å"));
    assert!(matches("", ""));
    assert!(!matches("", "a"));
    assert!(matches("a.c", "abc") && !matches("a.c", "a\nc"));
    assert!(matches("[^\\d\\s]+", "ab_") && !matches("[^\\d\\s]+", "a b"));
    assert!(matches("(?P<ar>\\d{4})-(?<m>\\d\\d)", "2026-12"));
    assert!(matches("^a$", "a") && !matches("a^", "a"));
    assert!(matches("[-a]+[a-]", "-a-"));
    assert!(matches("x{2,}?y??", "xxx"));
}

#[test]
fn what_the_engine_does_not_read_is_refused_with_what_is_wrong() {
    for (pattern, says) in [
        ("(a", "not closed with ')'"),
        ("a)", "was not opened"),
        ("[a", "not closed with ']'"),
        ("*a", "repeats nothing"),
        ("a**", "repeats a repetition"),
        ("a{3,1}", "largest count first"),
        ("a{1001}", "at most 1000"),
        ("a{", "needs a number"),
        ("a{2", "not closed with '}'"),
        ("\\b", "\\b is not supported"),
        ("\\pL", "\\p is not supported"),
        ("\\<", "\\< is not supported"),
        ("(?x)a", "only the flag (?i)"),
        ("(?=a)", "only the flag (?i)"),
        ("[[:alpha:]]", "classes inside classes"),
        ("[a&&b]", "'&&' in a class"),
        ("[z-a]", "backwards"),
        ("a\\", "ends with"),
    ] {
        let e = Pattern::new(pattern).expect_err(pattern).to_string();
        assert!(e.contains(says), "{pattern}: {e}");
    }
}

#[test]
fn a_pattern_is_bounded_in_size_nesting_and_counts_whatever_it_says() {
    let e = Pattern::new("(?:a{0,300}){0,300}b").unwrap_err().to_string();
    assert!(e.contains("too complex"), "{e}");
    // An empty group repeated a thousand times a thousand times makes nothing to do.
    assert!(Pattern::new("(?:(?:){1000}){1000}").is_ok());
    let deep = format!("{}a{}", "(".repeat(MAX_NESTING + 1), ")".repeat(MAX_NESTING + 1));
    assert!(Pattern::new(&deep).unwrap_err().to_string().contains("nest"));
    let deepest = format!("{}a{}", "(".repeat(MAX_NESTING), ")".repeat(MAX_NESTING));
    assert!(matches(&deepest, "a"));
    // Loops that match nothing end.
    assert!(matches("(a*)*b", "aaab") && !matches("(a*)*b", "aaa"));
    assert!(matches("(|a)+", "aa"));
    assert!(matches("(^)*a($)*", "a"));
}

#[test]
fn the_worst_pattern_checks_a_long_answer_in_linear_time() {
    let pattern = Pattern::new("(?:.*){0,20}b").unwrap();
    let text = "a".repeat(199) + "c";
    let start = std::time::Instant::now();
    assert!(!pattern.matches(&text));
    assert!(start.elapsed() < std::time::Duration::from_millis(50), "{:?}", start.elapsed());
}

/// A pattern of the engine's syntax over a few characters, as text.
fn arb_pattern() -> impl Strategy<Value = String> {
    let literal = prop::sample::select(vec!["a", "b", "c", "A", "Å", "å", "1", "-", " ", "\\.", "\\-", "_"]);
    let perl = prop::sample::select(vec![".", "\\d", "\\D", "\\w", "\\W", "\\s", "\\S"]);
    let item = prop::sample::select(vec!["a", "b", "a-c", "A-C", "\\d", "\\s", "\\W", "å", "Å", "-", "_", "1-2"]);
    let class = (any::<bool>(), prop::collection::vec(item, 1..4))
        .prop_map(|(neg, items)| format!("[{}{}]", if neg { "^" } else { "" }, items.concat()));
    let leaf = prop_oneof![4 => literal.prop_map(str::to_owned), 2 => perl.prop_map(str::to_owned), 2 => class];
    let quantifier = prop::sample::select(vec!["", "", "", "*", "+", "?", "{0,2}", "{1,3}", "{2}", "{1,}", "??", "*?"]);
    let atom = leaf.prop_recursive(3, 24, 3, |inner| {
        let concat = prop::collection::vec(inner, 0..3).prop_map(|v| v.concat());
        let alternation = prop::collection::vec(concat, 1..3).prop_map(|v| v.join("|"));
        (prop::sample::select(vec!["(", "(?:", "(?i:", "(?P<n>"]), alternation)
            .prop_map(|(open, a)| format!("{open}{a})"))
    });
    let piece = (atom, quantifier).prop_map(|(a, q)| format!("{a}{q}"));
    let anchors = prop::sample::select(vec!["", "", "^", "(?i)"]);
    (anchors, prop::collection::vec(piece, 0..4), prop::sample::select(vec!["", "", "$"]))
        .prop_map(|(a, pieces, end)| format!("{a}{}{end}", pieces.concat()))
}

fn arb_text() -> impl Strategy<Value = String> {
    let c = prop::sample::select(vec!['a', 'b', 'c', 'A', 'B', 'C', 'Å', 'å', '1', ' ', '\n', '-', '_', '.']);
    prop::collection::vec(c, 0..7).prop_map(|v| v.into_iter().collect())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 3000, ..ProptestConfig::default() })]

    /// What patterns matched before this engine (with regex-lite) they match now, and the
    /// engine reads every such pattern.
    #[test]
    fn the_engine_agrees_with_regex_lite(pattern in arb_pattern(), texts in prop::collection::vec(arb_text(), 1..8)) {
        let ours = Pattern::new(&pattern);
        let theirs = regex_lite::Regex::new(&format!("^(?:{pattern})$"));
        if let Ok(theirs) = theirs {
            // Set operations in classes (`--`, `&&`, `~~`) are refused rather than read as
            // another engine might.
            if ours.as_ref().is_err_and(|e| matches!(e, PatternError::ClassOperator(_))) {
                return Ok(());
            }
            let ours = ours.map_err(|e| TestCaseError::fail(format!("{pattern}: {e}")))?;
            for text in &texts {
                prop_assert_eq!(ours.matches(text), theirs.is_match(text), "{} on {:?}", pattern, text);
            }
        }
    }
}

#[test]
fn a_negated_class_inside_a_class_is_every_other_character() {
    for (pattern, yes, no) in [("[\\D]", "x", "5"), ("[\\W]", " ", "_"), ("[\\S]", "a", "\t"), ("[a\\D]", "a", "0")] {
        assert!(matches(pattern, yes) && !matches(pattern, no), "{pattern}");
    }
    assert!(matches("[\\W]", "\u{10FFFF}") && matches("[\\D]", "\0"));
}
