//! Token endpoints.
pub mod create_dev_token;
pub mod create_staff_token;
