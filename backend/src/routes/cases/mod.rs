//! The handler's cases: list and count, read (every read is logged), change
//! status, assign, messages with the applicant, internal notes, the signatures
//! with their evidence and its verification; the access log.
pub mod add_case_note;
pub mod assign_case;
pub mod assign_case_to_me;
pub mod change_case_status;
pub mod count_cases;
pub mod get_case;
pub mod get_case_access_log;
pub mod get_case_legal_hold;
pub mod get_case_signature_evidence;
pub mod lift_legal_hold;
pub mod list_case_handlers;
pub mod list_case_messages;
pub mod list_case_notes;
pub mod list_case_signatures;
pub mod list_case_supplements;
pub mod list_cases;
pub mod request_supplement;
pub mod revoke_follow_link;
pub mod search_cases;
pub mod send_case_message;
pub mod set_legal_hold;
pub mod verify_case_signatures;
