//! The signed-in applicant's own cases (the basis of Min sida).
pub mod get_my_case;
pub mod get_my_personal_data;
pub mod list_my_cases;
