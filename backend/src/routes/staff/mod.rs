//! Staff accounts. Platform admins only.
pub mod create_staff_user;
pub mod get_staff_access_log;
pub mod list_staff_users;
