//! One page of a list: every list of the API (cases, the outbox, the purge
//! log) pages the same way. Ask with `limit` (1 to [`PAGE_MAX`], default
//! [`PAGE_DEFAULT`]) and `after` (the `next_cursor` of the page before);
//! `next_cursor` is absent on the last page.

use serde::{Deserialize, Serialize};

/// Items per page when `limit` is not given.
pub const PAGE_DEFAULT: u64 = 25;
/// The most items a page may hold.
pub const PAGE_MAX: u64 = 100;

/// One page of a list, in the list's order.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct Page<T> {
    /// The items.
    pub items: Vec<T>,
    /// Pass as `after` to get the next page; absent on the last page.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub next_cursor: Option<String>,
}

impl<T> Page<T> {
    /// A page with nothing on it, and nothing after it.
    pub fn empty() -> Self {
        Self { items: Vec::new(), next_cursor: None }
    }

    /// The page made of up to `limit + 1` rows read after the cursor, in the
    /// list's order: a row beyond `limit` says there is a next page, which
    /// starts after the last item kept (its `cursor`).
    pub fn of(mut rows: Vec<T>, limit: u64, cursor: impl Fn(&T) -> String) -> Self {
        let limit = usize::try_from(limit).unwrap_or(usize::MAX);
        let more = rows.len() > limit;
        rows.truncate(limit);
        let next_cursor = if more { rows.last().map(cursor) } else { None };
        Self { items: rows, next_cursor }
    }

    /// The same page with each item turned into another.
    pub fn map<U>(self, f: impl FnMut(T) -> U) -> Page<U> {
        Page { items: self.items.into_iter().map(f).collect(), next_cursor: self.next_cursor }
    }
}

#[cfg(test)]
mod tests {
    use super::Page;

    #[test]
    fn a_row_beyond_the_limit_gives_a_cursor_and_the_last_page_has_none() {
        let page = Page::of(vec![5, 4, 3], 2, |n| n.to_string());
        assert_eq!((page.items, page.next_cursor.as_deref()), (vec![5, 4], Some("4")));
        let last = Page::of(vec![2, 1], 2, |n| n.to_string());
        assert_eq!((last.items, last.next_cursor), (vec![2, 1], None));
        let json = serde_json::to_value(Page::of(vec![1], 5, |n: &i32| n.to_string())).expect("json");
        assert_eq!(json, serde_json::json!({"items": [1]}), "no next_cursor on the last page");
    }
}
