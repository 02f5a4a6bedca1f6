//! `/utloggad`: where "Logga ut" ends.

use leptos::prelude::*;

use crate::common::i18n::{set_title, tx};

/// `/utloggad`: where "Logga ut" ends.
#[component]
pub fn LoggedOut() -> impl IntoView {
    set_title("Du är utloggad", "You are logged out");
    view! {
        <h1>{tx("Du är utloggad", "You are logged out")}</h1>
        <p class="lead">{tx("Du är nu utloggad från e-tjänsterna.", "You are now logged out of the e-services.")}</p>
        <ul class="link-list">
            <li>
                <a href="/logga-in">{tx("Logga in igen", "Log in again")}</a>
            </li>
            <li>
                <a href="/">{tx("Se alla e-tjänster", "See all e-services")}</a>
            </li>
        </ul>
    }
}
