//! Signing and multiple signing (see `shared::signing` for the settings and
//! API types).

pub mod digest;
