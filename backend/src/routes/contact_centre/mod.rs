//! The contact centre's read-only look-up of a case's status by reference.

pub mod lookup_case_status;
