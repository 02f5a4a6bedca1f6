//! The e-service platform's single-page apps, as a library with three entry points, each its own
//! wasm so that someone filling in a form downloads neither Mina sidor nor the handlers' pages:
//!
//! - [`applicant`]: the applicants' app (src/main.rs, index.html) — the public catalogue of
//!   e-services, each service's first page, the login (BankID, other e-ID through OIDC), the
//!   application journey and Mina uppgifter;
//! - [`my_pages`]: Mina sidor (src/bin/mina-sidor.rs, mina-sidor.html) — the applicant's drafts
//!   and cases, one case, co-signing, an anonymous case's private link and the portal's embedded
//!   case list;
//! - [`staff`]: the handlers' app under `/handlaggning` (src/bin/staff.rs, staff.html);
//! - [`builder`]: the service builder under `/bygga` (src/bin/bygga.rs, bygga.html).
//!
//! What more than one of them uses is in [`common`], so a file's app is visible from its path.
//! The stylesheets follow the same split: `base.css` for every app, and `applicant.css`,
//! `mina-sidor.css` and `staff.css` each loaded by its own app only. Swedish and English.
//! Client-side rendered with Leptos; talks to the backend's `/api/v1` on the same origin.

pub mod applicant;
pub mod builder;
pub mod common;
pub mod my_pages;
pub mod staff;
