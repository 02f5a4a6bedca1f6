//! The public catalogue of published services, and case submission.
pub mod get_catalogue_service;
pub mod list_catalogue;
pub mod submit_case;
