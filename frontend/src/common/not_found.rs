//! The page for any address an app does not know.

use leptos::prelude::*;

use crate::common::i18n::{set_title, tx};

/// Shown for any address the app does not know, and for unknown services.
#[component]
pub fn NotFound() -> impl IntoView {
    set_title("Sidan finns inte", "Page not found");
    view! {
        <h1>{tx("Sidan finns inte", "Page not found")}</h1>
        <p>
            {tx(
                "Vi kan inte hitta sidan du letar efter. Den kan ha tagits bort, eller så är adressen felstavad.",
                "We cannot find the page you are looking for. It may have been removed, or the address is misspelt.",
            )}
        </p>
        <p>
            <a href="/">{tx("Se alla e-tjänster", "See all e-services")}</a>
        </p>
    }
}
