//! The form model shared by the server and the browser: form definitions,
//! conditions, answer validation, personnummer, case statuses and the API's
//! request/response types. Compiles natively and to `wasm32-unknown-unknown`;
//! it never depends on a server crate (the `server` feature only adds OpenAPI
//! schema derives).

pub mod analysis;
pub mod api;
pub mod carry_over;
pub mod condition;
pub mod date;
pub mod diff;
pub mod documents;
pub mod error_code;
pub mod form;
pub mod formats;
pub mod handling;
pub mod limits;
pub mod naming;
pub mod parts;
pub mod pattern;
pub mod personnummer;
pub mod prefill;
pub mod reference;
pub mod rule;
pub mod signing;
pub mod status;
pub mod text;
pub mod validate;
mod wire;

#[cfg(test)]
mod test_support;

pub use carry_over::carry_over;
pub use condition::Condition;
pub use form::{ChoiceOption, DefinitionError, Field, FieldKind, FormDefinition, Page};
pub use personnummer::Personnummer;
pub use rule::{Check, Rule};
pub use status::{StatusDefinition, StatusKind};
pub use validate::{Answers, FieldError, FieldErrorCode, validate};
