//! Mina sidor, the applicant's own cases, and the portal's embedded list (see the library's documentation).

fn main() {
    #[cfg(debug_assertions)]
    console_error_panic_hook::set_once();
    leptos::mount::mount_to_body(frontend::my_pages::MyPagesApp);
}
