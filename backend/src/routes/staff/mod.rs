//! Staff accounts. Platform admins only.
pub mod create_staff_user;
pub mod list_staff_users;
