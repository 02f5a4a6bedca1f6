//! The handlers' app: the page frame (skip link, staff header, main, footer)
//! and the routes under `/handlaggning`. Built as its own wasm (src/bin/staff.rs).

use leptos::prelude::*;

use crate::app::{FocusOnNavigation, MAIN_ID, skip_to_main};
use crate::i18n::{self, tx};
use crate::pages::NotFound;
use crate::pages::handling::{
    AdminStart, ContactCentre, StaffCase, StaffHeader, StaffInbox, StaffLogin, StaffRetention,
};
use crate::router;
use crate::staff_auth::StaffAuth;

/// Whether a path is one of the handlers' pages (`/handlaggning` and below).
pub fn is_staff_path(path: &str) -> bool {
    path == "/handlaggning" || path.starts_with("/handlaggning/")
}

/// The whole handlers' app.
#[component]
pub fn StaffApp() -> impl IntoView {
    i18n::init();
    let location = router::init(is_staff_path);
    StaffAuth::provide();
    view! {
        <a class="skip-link" href=format!("#{MAIN_ID}") on:click=skip_to_main>
            {tx("Gå direkt till innehållet", "Skip to content")}
        </a>
        <StaffHeader />
        <main id=MAIN_ID tabindex="-1" class="wrap">
            <FocusOnNavigation />
            {move || route(&location.path.get())}
        </main>
        <footer class="site-footer">
            <div class="wrap">
                <p>{tx("Handläggning av kommunens e-tjänster.", "Case handling of the municipality's e-services.")}</p>
            </div>
        </footer>
    }
}

fn route(path: &str) -> AnyView {
    let segments: Vec<&str> = path.trim_matches('/').split('/').filter(|s| !s.is_empty()).collect();
    match segments.as_slice() {
        ["handlaggning"] => view! { <StaffInbox /> }.into_any(),
        ["handlaggning", "logga-in"] => view! { <StaffLogin /> }.into_any(),
        ["handlaggning", "kundtjanst"] => view! { <ContactCentre /> }.into_any(),
        ["handlaggning", "gallring"] => view! { <StaffRetention /> }.into_any(),
        ["handlaggning", "admin"] => view! { <AdminStart /> }.into_any(),
        ["handlaggning", "arenden", reference] => view! { <StaffCase reference=reference.to_string() /> }.into_any(),
        _ => view! { <NotFound /> }.into_any(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_paths_under_handlaggning_are_the_handlers_app() {
        assert!(is_staff_path("/handlaggning"));
        assert!(is_staff_path("/handlaggning/arenden/X"));
        assert!(!is_staff_path("/handlaggningar"));
        assert!(!is_staff_path("/mina-sidor"));
    }
}
