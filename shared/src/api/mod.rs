//! Request and response types of the REST API (`/api/v1`), used by the
//! backend to serve and by the SPA to call, one module per resource (beside
//! `crate::handling`, `crate::documents` and `crate::signing`). Database rows
//! never cross the wire; these types do. Everything is re-exported here, so
//! a type is `shared::api::Name` whichever module holds it.

mod bankid;
mod cases;
mod drafts;
mod errors;
mod outbox;
mod page;
mod people;
mod retention;
mod services;
mod staff;

pub use bankid::*;
pub use cases::*;
pub use drafts::*;
pub use errors::*;
pub use outbox::*;
pub use page::*;
pub use people::*;
pub use retention::*;
pub use services::*;
pub use staff::*;
