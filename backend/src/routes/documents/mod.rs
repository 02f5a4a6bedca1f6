//! Case documents: decisions and other documents a handler attaches to a
//! case (received through [`crate::files`], typed by their content), listed
//! and downloaded by the case's handlers and by its applicant; every
//! download is recorded. Also the handlers' download of the applicant's
//! attachments (and the applicant's own, on Min sida), and the files sent
//! with messages (both directions).
//! Handlers not permitted on the case's service, and other applicants, get 404.

pub mod attach_case_document;
pub mod attach_message_file;
pub mod get_case_attachment;
pub mod get_case_document;
pub mod get_case_message_attachment;
pub mod get_my_case_attachment;
pub mod get_my_case_document;
pub mod get_my_message_attachment;
pub mod list_case_documents;
pub mod list_my_case_documents;
