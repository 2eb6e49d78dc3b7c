//! The browser entry point: hydrate the server-rendered page.

#[wasm_bindgen::prelude::wasm_bindgen]
pub fn hydrate() {
    console_error_panic_hook::set_once();
    // The signed-in pages are lazy routes (app::lazy_pages): hydration waits for the routed
    // page's chunk, which only the async hydration can do.
    leptos::mount::hydrate_lazy(app::App);
}
