//! The header of the handlers' pages: "Handläggning", the links to what the staff member's roles
//! let them do, who is logged in, "Logga ut", and the language switch.

use leptos::prelude::*;
use shared::api::StaffRole;

use super::admin::ADMIN_PATH;
use super::retention;
use crate::common::frame::StaffAccount;
use crate::common::i18n::{LanguageSwitch, tx};
use crate::common::router;
use crate::common::session::use_staff;

/// The header of the staff pages: "Handläggning", the inbox, the contact centre, retention (for
/// service owners and platform admins), who is logged in, "Logga ut".
#[component]
pub fn StaffHeader() -> impl IntoView {
    let staff = use_staff();
    let location = router::location();
    let current = move |path: &'static str| move || (location.path.get() == path).then_some("page");
    view! {
        <header class="site-header staff-header">
            <div class="wrap header-row">
                <a class="site-name" href="/handlaggning">
                    {tx("Handläggning", "Case handling")}
                </a>
                <div class="header-tools">
                    {move || {
                        staff
                            .is_logged_in()
                            .then(|| {
                                view! {
                                    <nav class="account" aria-label=tx("Handläggning", "Case handling")>
                                        {move || {
                                            staff
                                                .may_have(&[StaffRole::Handler])
                                                .then(|| {
                                                    view! {
                                                        <a class="header-link" href="/handlaggning" aria-current=current("/handlaggning")>
                                                            {tx("Inkorg", "Inbox")}
                                                        </a>
                                                    }
                                                })
                                        }}
                                        {move || {
                                            staff
                                                .may_have(&[StaffRole::PlatformAdmin])
                                                .then(|| {
                                                    view! {
                                                        <a class="header-link" href=ADMIN_PATH aria-current=current(ADMIN_PATH)>
                                                            {tx("Administration", "Administration")}
                                                        </a>
                                                    }
                                                })
                                        }}
                                        {move || {
                                            staff
                                                .may_have(&[StaffRole::PlatformAdmin, StaffRole::ServiceOwner])
                                                .then(|| {
                                                    view! {
                                                        <a class="header-link" href="/bygga">
                                                            {tx("Bygga e-tjänster", "Service builder")}
                                                        </a>
                                                    }
                                                })
                                        }}
                                        // Only those who may look cases up: the contact centre and platform admins.
                                        {move || {
                                            staff
                                                .may_have(&[StaffRole::ContactCentre, StaffRole::PlatformAdmin])
                                                .then(|| {
                                                    view! {
                                                        <a
                                                            class="header-link"
                                                            href="/handlaggning/kundtjanst"
                                                            aria-current=current("/handlaggning/kundtjanst")
                                                        >
                                                            {tx("Kundtjänst", "Contact centre")}
                                                        </a>
                                                    }
                                                })
                                        }}
                                        {move || {
                                            staff
                                                .may_have(&retention::RETENTION_ROLES)
                                                .then(|| {
                                                    view! {
                                                        <a
                                                            class="header-link"
                                                            href=retention::RETENTION_PATH
                                                            aria-current=current(retention::RETENTION_PATH)
                                                        >
                                                            {tx("Gallring", "Retention")}
                                                        </a>
                                                    }
                                                })
                                        }}
                                    </nav>
                                }
                            })
                    }}
                    <StaffAccount />
                    <LanguageSwitch />
                </div>
            </div>
        </header>
    }
}
