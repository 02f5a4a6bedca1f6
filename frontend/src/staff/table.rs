//! The tables of the handlers' pages: their column heads, and the access log of a case (who
//! read or changed it, for platform admins).

use leptos::prelude::*;

use crate::common::i18n::{format_instant, tx};

/// A table's head: a column heading for each (Swedish, English) name.
pub fn column_heads(names: &'static [(&'static str, &'static str)]) -> impl IntoView {
    view! {
        <thead>
            <tr>{names.iter().map(|&(sv, en)| view! { <th scope="col">{tx(sv, en)}</th> }).collect_view()}</tr>
        </thead>
    }
}

/// The one table of the handlers' pages: scrolling sideways on a narrow screen, with an
/// optional caption, the column `heads` and the `rows`.
pub fn table(
    caption: Option<(&'static str, &'static str)>,
    heads: &'static [(&'static str, &'static str)],
    rows: impl IntoView,
) -> impl IntoView {
    view! {
        <div class="table-wrap">
            <table class="cases">
                {caption.map(|(sv, en)| view! { <caption>{tx(sv, en)}</caption> })}
                {column_heads(heads)}
                <tbody>{rows}</tbody>
            </table>
        </div>
    }
}

/// Who read or changed a case, newest first: when, who, what.
pub fn access_log_table(entries: Vec<shared::handling::AccessLogEntry>) -> impl IntoView {
    let rows = entries
        .into_iter()
        .map(|e| {
            view! {
                <tr>
                    <td>{format_instant(&e.at)}</td>
                    <td>{e.staff_username}</td>
                    <td>{e.action.as_str()}</td>
                </tr>
            }
        })
        .collect_view();
    table(None, &[("När", "When"), ("Vem", "Who"), ("Vad", "What")], rows)
}
