//! The limits that keep any definition [`FormDefinition::check`](crate::FormDefinition::check)
//! accepts cheap to check and to validate, on the server and after every keystroke in the
//! browser: no definition can overflow a stack or make validation slow. Each limit is checked
//! by `check`, which says which one a definition is over.
//!
//! | what | at most |
//! |---|---|
//! | pages in a form | [`MAX_PAGES`] |
//! | fields in a form (all pages) | [`MAX_FIELDS`] |
//! | rows of a repeating group | [`MAX_ROWS`] |
//! | options of a choice field | [`MAX_OPTIONS`] |
//! | depth of a condition (`all`/`any`/`not` inside each other) | [`MAX_CONDITION_DEPTH`] |
//! | comparisons and combinations in one condition | [`MAX_CONDITION_NODES`] |
//! | rules in a form (its pages' and its own together) | [`MAX_RULES`](crate::rule::MAX_RULES) |
//! | fields one rule reads | [`MAX_RULE_FIELDS`](crate::rule::MAX_RULE_FIELDS) |
//! | a pattern's length, and its compiled size | 500 characters, [`MAX_INSTRUCTIONS`](crate::pattern::MAX_INSTRUCTIONS) steps |
//! | fields with a pattern in a form | [`MAX_PATTERNS`] |
//! | an answer matched against a pattern | [`PATTERN_INPUT_MAX`] characters |
//! | a number's size | [`MAX_SAFE_NUMBER`] (2^53 − 1) |
//!
//! A repeating group's fields, its fields with a pattern and its rules count once for each row it
//! may have (a group of 4 fields and at most 10 rows counts as 41 fields: itself and 40).
//!
//! With these, validating the largest answers to the largest definition takes well under
//! 10 ms on the server (a test in `limits_tests.rs` validates the worst accepted definition).
//! The evaluation of conditions recurses at most [`MAX_CONDITION_DEPTH`] deep; the order of a
//! page's fields is found without recursion.

use crate::condition::Condition;

/// The most pages a form may have.
pub const MAX_PAGES: usize = 100;
/// The most fields a form may have, on all its pages together.
pub const MAX_FIELDS: usize = 500;
/// The most rows a repeating group may have.
pub const MAX_ROWS: u32 = 50;
/// The most options a single- or multiple-choice field may have.
pub const MAX_OPTIONS: usize = 500;
/// The deepest a condition may nest `all`, `any` and `not`.
pub const MAX_CONDITION_DEPTH: usize = 16;
/// The most parts (comparisons and combinations) one condition may have.
pub const MAX_CONDITION_NODES: usize = 200;
/// The most fields with a pattern a form may have.
pub const MAX_PATTERNS: usize = 10;
/// The longest answer a pattern is matched against, in characters: a longer answer to a field
/// with a pattern is refused as too long before the pattern is tried.
pub const PATTERN_INPUT_MAX: u32 = 200;
/// The largest number a number field takes, by size: 2^53 − 1, the largest integer a browser
/// holds exactly. A larger one is refused rather than rounded.
pub const MAX_SAFE_NUMBER: f64 = 9_007_199_254_740_991.0;

/// The depth and the number of parts of a condition, found without recursion.
pub fn condition_size(condition: &Condition) -> (usize, usize) {
    let mut stack = vec![(condition, 1_usize)];
    let (mut depth, mut nodes) = (0, 0);
    while let Some((c, d)) = stack.pop() {
        depth = depth.max(d);
        nodes += 1;
        match c {
            Condition::All { conditions } | Condition::Any { conditions } => {
                stack.extend(conditions.iter().map(|c| (c, d + 1)));
            }
            Condition::Not { condition } => stack.push((condition, d + 1)),
            _ => {}
        }
    }
    (depth, nodes)
}

#[cfg(test)]
#[path = "limits_tests.rs"]
mod tests;
