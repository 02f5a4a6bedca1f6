//! One module per route.

mod catalogue;
mod not_found;
mod service;

pub use catalogue::Catalogue;
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
