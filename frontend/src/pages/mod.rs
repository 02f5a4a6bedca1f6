//! One module per route.

mod catalogue;
mod embed;
mod follow;
pub mod handling;
mod journey;
mod logged_out;
mod login;
mod login_return;
mod my_case;
mod my_details;
mod my_pages;
mod not_found;
mod service;
mod signature_request;

pub use catalogue::Catalogue;
pub use embed::EmbedCases;
pub use follow::FollowCase;
pub use journey::Journey;
pub use logged_out::LoggedOut;
pub use login::Login;
pub use login_return::LoginReturn;
pub use my_case::MyCase;
pub use my_details::MyDetails;
pub use my_pages::MyPages;
pub use not_found::NotFound;
pub use service::ServiceFirstPage;
pub use signature_request::SignatureRequestPage;

use shared::api::IdentityRequirement;

use crate::i18n::tx;

/// A short phrase on how the applicant identifies, for lists.
fn identity_short(identity: IdentityRequirement) -> impl Fn() -> &'static str + Copy + Send + Sync + 'static {
    match identity {
        IdentityRequirement::EId => tx("Kräver e-legitimation", "Requires e-ID"),
        IdentityRequirement::AnonymousAllowed => tx("Går att använda utan e-legitimation", "Can be used without e-ID"),
    }
}
