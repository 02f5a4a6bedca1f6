//! The e-service platform's single-page apps, as a library with two entry
//! points: `frontend` (src/main.rs), the applicants' app — the public
//! catalogue of e-services, each service's first page, the login (BankID,
//! other e-ID through OIDC), the application journey, Mina sidor and the
//! portal's embedded case list — and `staff` (src/bin/staff.rs), the
//! handlers' app under `/handlaggning`. Each is its own wasm, so applicants
//! never download the handlers' pages. Swedish and English. Client-side
//! rendered with Leptos; talks to the backend's `/api/v1` on the same origin.

pub mod api;
pub mod app;
pub mod auth;
pub mod bankid;
pub mod components;
pub mod i18n;
pub mod pages;
pub mod router;
pub mod staff_app;
pub mod staff_auth;
pub mod upload;
