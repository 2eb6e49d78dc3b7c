//! A secret's `value` map as the CLI takes it: `key = "text"`, or `"key#base64" = "…"` for a
//! value already in base64.

use std::collections::BTreeMap;

use api_types::secrets::ContentInput;

pub fn content_input(value: &BTreeMap<String, String>) -> ContentInput {
    let mut input = ContentInput::default();
    for (key, v) in value {
        match key.strip_suffix("#base64") {
            Some(bare) => input.content_base64.insert(bare.to_owned(), v.clone()),
            None => input.content.insert(key.clone(), v.clone()),
        };
    }
    input
}
