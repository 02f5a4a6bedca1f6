//! What more than one app uses, or what every app's pages are built from: the API client, the
//! languages, the router, the page frame, the session (an applicant's or a staff member's), the
//! page loader, the building blocks (text blocks, focus, answers in words), statuses in words,
//! the field input of a service's form, the message list, the download button, file uploads and
//! BankID (the panel, the order poller, signing).

pub mod api;
pub mod bankid;
pub mod components;
pub mod download;
pub mod field;
pub mod frame;
pub mod i18n;
pub mod loader;
pub mod messages;
pub mod not_found;
pub mod parts;
pub mod router;
pub mod session;
pub mod status;
pub mod upload;
