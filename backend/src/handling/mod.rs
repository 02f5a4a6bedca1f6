//! Case handling, the staff side of a case's life, beside `submission`
//! (how a case comes in) and `messaging` (what the two sides say): staff
//! access to a case ([`access`]: the extractors that check the role and the
//! service permission and write the access log), status changes
//! ([`status`]), supplement requests and their answers ([`supplements`]),
//! assignment ([`assignment`]) and legal holds ([`legal_hold`]). The rules
//! live here; `routes/` only parses, calls and answers.

pub mod access;
pub mod assignment;
pub mod legal_hold;
pub mod status;
pub mod supplements;

pub use access::{Access, HandledCase, HeldCase, act};
