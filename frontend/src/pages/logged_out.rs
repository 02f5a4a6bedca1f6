use leptos::prelude::*;

use crate::components::set_title;

/// `/utloggad`: where "Logga ut" ends.
#[component]
pub fn LoggedOut() -> impl IntoView {
    set_title("Du är utloggad");
    view! {
        <h1>"Du är utloggad"</h1>
        <p class="lead">"Du är nu utloggad från e-tjänsterna."</p>
        <ul class="link-list">
            <li>
                <a href="/logga-in">"Logga in igen"</a>
            </li>
            <li>
                <a href="/">"Se alla e-tjänster"</a>
            </li>
        </ul>
    }
}
