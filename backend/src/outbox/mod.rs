//! E-mail that is never lost.
//!
//! A change that should send mail queues it in the **same transaction**
//! ([`plan`] makes the rows, `db::outbox::insert` or the submission statement
//! stores them); the [`worker`] delivers them later with retries. What a mail
//! says is decided by an [`Event`]: who gets it and with which template.
//! Adding an event is one `const` in `events.rs` and a call to [`plan`] where it happens.
//!
//! Privacy: a mail says that something happened and links to the logged-in
//! view. Templates can insert only the [`Placeholder`](crate::mail::template::Placeholder)s
//! (service name, reference, date, links, first name) — never answers,
//! personnummer or message content — and the first name is left out for a
//! protected identity.

mod events;
mod language;
mod planning;
mod rendering;
pub mod worker;

pub use events::*;
pub use language::Language;
pub use planning::{Recipients, plan, queue};
pub use rendering::{MIN_SIDA_PATH, Payload, RenderError, greeting_without_name, handler_case_path, render};
