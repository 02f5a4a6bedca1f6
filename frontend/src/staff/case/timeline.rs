//! "Händelser": every status change of the case, oldest first — when, from, to, who, comment.

use leptos::prelude::*;
use shared::api::StatusChange;

use super::CaseNow;
use crate::common::i18n::{format_instant, tx};
use crate::common::status::name_now;

/// Every status change, oldest first: when, from, to, who, comment. Redrawn when the history
/// or the statuses change.
#[component]
pub(super) fn Timeline(case: CaseNow) -> impl IntoView {
    let content = Memo::new(move |_| case.with(|c| c.as_ref().map(|c| (c.statuses.clone(), c.history.clone()))));
    view! {
        <section aria-labelledby="historik">
            <h2 id="historik" tabindex="-1">{tx("Händelser", "Timeline")}</h2>
            {move || {
                content
                    .get()
                    .map(|(statuses, history)| {
                        let name_of = |key: &str| {
                            statuses
                                .iter()
                                .find(|s| s.key == key)
                                .map(|s| name_now(&s.name, s.name_en.as_deref()))
                                .unwrap_or_else(|| key.to_owned())
                        };
                        view! {
                            <ol class="timeline">
                                {history
                                    .into_iter()
                                    .map(|h| {
                                        let who = ChangedBy::of(&h).text();
                                        view! {
                                            <li>
                                                <span class="when">{format_instant(&h.at)}</span>
                                                " "
                                                <strong>{name_of(&h.to)}</strong>
                                                {h
                                                    .from
                                                    .as_deref()
                                                    .map(|f| format!(" ({} {})", tx("från", "from")(), name_of(f)))}
                                                " – "
                                                {who}
                                                {h.comment.map(|c| view! { <p class="comment">{c}</p> })}
                                            </li>
                                        }
                                    })
                                    .collect_view()}
                            </ol>
                        }
                    })
            }}
        </section>
    }
}

/// Who made a status change, as the timeline says it.
#[derive(Debug, PartialEq)]
enum ChangedBy {
    /// A staff member, by name (by user name only for an account the server no longer names).
    Staff(String),
    /// The applicant, a co-signer or the system, in Swedish and English.
    Party(&'static str, &'static str),
}

impl ChangedBy {
    fn of(change: &StatusChange) -> ChangedBy {
        if let Some(name) = &change.by_name {
            return ChangedBy::Staff(name.clone());
        }
        match change.by.as_str() {
            "applicant" => ChangedBy::Party("sökanden", "the applicant"),
            "co_signer" => ChangedBy::Party("en medundertecknare", "a co-signer"),
            "system" => ChangedBy::Party("systemet", "the system"),
            other => ChangedBy::Staff(other.to_owned()),
        }
    }

    fn text(self) -> String {
        match self {
            ChangedBy::Staff(name) => name,
            ChangedBy::Party(sv, en) => tx(sv, en)().to_owned(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_timeline_says_who_changed_the_status_in_words_and_staff_by_name() {
        let change = |by: &str, by_name: Option<&str>| StatusChange {
            from: None,
            to: "inskickat".into(),
            by: by.into(),
            by_name: by_name.map(Into::into),
            at: chrono::Utc::now(),
            comment: None,
        };
        let who = |by, by_name| ChangedBy::of(&change(by, by_name));
        assert_eq!(who("applicant", None), ChangedBy::Party("sökanden", "the applicant"));
        assert_eq!(who("system", None), ChangedBy::Party("systemet", "the system"));
        assert_eq!(who("co_signer", None), ChangedBy::Party("en medundertecknare", "a co-signer"));
        assert_eq!(who("handlaggare", Some("Demo Handläggare")), ChangedBy::Staff("Demo Handläggare".into()));
        // The name wins even over a user name that reads like a party's.
        assert_eq!(who("system", Some("Sys Temsson")), ChangedBy::Staff("Sys Temsson".into()));
        // An account the server no longer names keeps its user name.
        assert_eq!(who("borttagen", None), ChangedBy::Staff("borttagen".into()));
    }
}
