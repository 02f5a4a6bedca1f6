//! Authentication: JWT access tokens for staff and applicants, argon2
//! password hashes for staff, and identity providers for applicants.
//! Authorisation is expressed in handler signatures by the extractors in
//! [`extract`].

pub mod extract;
pub mod identity;
pub mod jwt;
pub mod password;
