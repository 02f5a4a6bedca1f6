//! The applicants' app (see the library's documentation).

fn main() {
    // Panic messages in the console while developing; the release build aborts on a panic and
    // leaves out the hook and its formatting code.
    #[cfg(debug_assertions)]
    console_error_panic_hook::set_once();
    leptos::mount::mount_to_body(frontend::applicant::App);
}
