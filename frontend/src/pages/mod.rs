//! One module per route.

mod catalogue;
mod logged_out;
mod login;
mod login_return;
mod my_details;
mod not_found;
mod service;

pub use catalogue::Catalogue;
pub use logged_out::LoggedOut;
pub use login::Login;
pub use login_return::LoginReturn;
pub use my_details::MyDetails;
pub use not_found::NotFound;
pub use service::ServiceFirstPage;

use shared::api::IdentityRequirement;

/// A short phrase on how the applicant identifies, for lists.
fn identity_short(identity: IdentityRequirement) -> &'static str {
    match identity {
        IdentityRequirement::EId => "Kräver e-legitimation",
        IdentityRequirement::AnonymousAllowed => "Går att använda utan e-legitimation",
    }
}
