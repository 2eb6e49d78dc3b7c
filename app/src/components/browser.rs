//! The few things only a browser can do. On the server each is a no-op, so pages can call them
//! from event handlers without `cfg` noise.

/// Milliseconds since the epoch, from the clock of whichever side is running.
pub fn now_ms() -> i64 {
    #[cfg(target_arch = "wasm32")]
    {
        js_sys::Date::now() as i64
    }
    #[cfg(not(target_arch = "wasm32"))]
    {
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| i64::try_from(d.as_millis()).unwrap_or(i64::MAX))
    }
}

/// Copies text to the clipboard.
pub fn copy_to_clipboard(text: &str) {
    #[cfg(target_arch = "wasm32")]
    if let Some(window) = web_sys::window() {
        let _ = window.navigator().clipboard().write_text(text);
    }
    #[cfg(not(target_arch = "wasm32"))]
    let _ = text;
}

#[cfg(target_arch = "wasm32")]
fn dialog(id: &str) -> Option<web_sys::HtmlDialogElement> {
    use wasm_bindgen::JsCast as _;
    web_sys::window()?
        .document()?
        .get_element_by_id(id)?
        .dyn_into::<web_sys::HtmlDialogElement>()
        .ok()
}

/// Opens the `<dialog>` with this id as a modal: focus stays inside it and Esc closes it.
pub fn open_dialog(id: &str) {
    #[cfg(target_arch = "wasm32")]
    if let Some(d) = dialog(id) {
        // A dialog rendered open (no-JavaScript link) is not modal; reopen it as one.
        if d.open() {
            d.close();
        }
        let _ = d.show_modal();
    }
    #[cfg(not(target_arch = "wasm32"))]
    let _ = id;
}

pub fn close_dialog(id: &str) {
    #[cfg(target_arch = "wasm32")]
    if let Some(d) = dialog(id) {
        d.close();
    }
    #[cfg(not(target_arch = "wasm32"))]
    let _ = id;
}

/// Marks the page as taken over by the wasm, for tests and styles (`body[data-hydrated]`), once
/// the routed page has hydrated. Each page calls it: a lazy route hydrates after the shell, when
/// its chunk has arrived, so the shell's own hydration would say so too early.
pub fn mark_hydrated_when_mounted() {
    leptos::prelude::Effect::new(|_| mark_hydrated());
}

fn mark_hydrated() {
    #[cfg(target_arch = "wasm32")]
    if let Some(body) = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.body())
    {
        let _ = body.set_attribute("data-hydrated", "true");
    }
}

/// Submits the form the event's target belongs to, as if its submit button were pressed.
pub fn submit_form_of(ev: &leptos::ev::Event) {
    #[cfg(target_arch = "wasm32")]
    {
        use wasm_bindgen::JsCast as _;
        let form = ev
            .target()
            .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
            .and_then(|e| e.closest("form").ok().flatten());
        if let Some(form) = form.and_then(|f| f.dyn_into::<web_sys::HtmlFormElement>().ok()) {
            let _ = form.request_submit();
        }
    }
    #[cfg(not(target_arch = "wasm32"))]
    let _ = ev;
}

/// Moves keyboard focus to the element with this id, making it the one Tab reaches in its
/// group (a roving tabindex: `group` names the elements that give up theirs).
pub fn focus_roving(id: &str, group: &str) {
    #[cfg(target_arch = "wasm32")]
    {
        use wasm_bindgen::JsCast as _;
        let Some(document) = web_sys::window().and_then(|w| w.document()) else {
            return;
        };
        let Some(target) = document
            .get_element_by_id(id)
            .and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok())
        else {
            return;
        };
        if let Ok(others) = document.query_selector_all(group) {
            for i in 0..others.length() {
                if let Some(e) = others
                    .item(i)
                    .and_then(|n| n.dyn_into::<web_sys::Element>().ok())
                {
                    let _ = e.set_attribute("tabindex", "-1");
                }
            }
        }
        let _ = target.set_attribute("tabindex", "0");
        let _ = target.focus();
    }
    #[cfg(not(target_arch = "wasm32"))]
    let _ = (id, group);
}

/// The id of the element an event happened on ("" on the server).
pub fn event_target_id(ev: &leptos::ev::Event) -> String {
    #[cfg(target_arch = "wasm32")]
    {
        use wasm_bindgen::JsCast as _;
        ev.target()
            .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
            .map(|e| e.id())
            .unwrap_or_default()
    }
    #[cfg(not(target_arch = "wasm32"))]
    {
        let _ = ev;
        String::new()
    }
}
