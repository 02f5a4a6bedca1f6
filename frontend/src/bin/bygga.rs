//! The service builder under `/bygga` (see the library's documentation).

fn main() {
    #[cfg(debug_assertions)]
    console_error_panic_hook::set_once();
    leptos::mount::mount_to_body(frontend::builder::BuilderApp);
}
