//! Token endpoints.
pub mod create_dev_token;
pub mod create_staff_token;
pub mod end_session;
pub mod renew_session;
