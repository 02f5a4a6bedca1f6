//! Files applicants attach to file fields: uploaded one at a time as the raw
//! body, stored on disk under the upload's id, referred to by id in answers,
//! and taken by the case they are submitted with.

pub mod create_upload;
pub mod get_my_upload;
