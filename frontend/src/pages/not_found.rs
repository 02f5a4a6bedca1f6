use leptos::prelude::*;

use crate::components::set_title;

/// Shown for any address the app does not know, and for unknown services.
#[component]
pub fn NotFound() -> impl IntoView {
    set_title("Sidan finns inte");
    view! {
        <h1>"Sidan finns inte"</h1>
        <p>
            "Vi kan inte hitta sidan du letar efter. Den kan ha tagits bort, "
            "eller så är adressen felstavad."
        </p>
        <p>
            <a href="/">"Se alla e-tjänster"</a>
        </p>
    }
}
