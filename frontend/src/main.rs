//! The e-service platform's single-page app for applicants: the public
//! catalogue of e-services, each service's first page, the login (BankID,
//! other e-ID through OIDC), the application journey (personal data, the
//! service's pages, summary, submission, receipt, drafts) and Mina sidor, in
//! Swedish and English. Client-side rendered with Leptos; talks to the
//! backend's `/api/v1` on the same origin.

mod api;
mod app;
mod auth;
mod components;
mod i18n;
mod pages;
mod router;
mod upload;

fn main() {
    // Panic messages in the console while developing; the release build aborts on a panic and
    // leaves out the hook and its formatting code.
    #[cfg(debug_assertions)]
    console_error_panic_hook::set_once();
    leptos::mount::mount_to_body(app::App);
}
