//! Token endpoints.
pub mod create_dev_token;
pub mod create_staff_token;
pub mod end_session;
pub mod finish_oidc_login;
pub mod redeem_login_ticket;
pub mod renew_session;
pub mod start_oidc_login;
