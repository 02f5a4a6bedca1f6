//! The e-service platform's single-page app: the public catalogue of
//! e-services, each service's first page, and the applicant's login (BankID,
//! other e-ID through OIDC) with their own data. Client-side rendered with
//! Leptos; talks to the backend's `/api/v1` on the same origin.

mod api;
mod app;
mod auth;
mod components;
mod pages;

fn main() {
    console_error_panic_hook::set_once();
    leptos::mount::mount_to_body(app::App);
}
