//! Pieces the pages share.

pub mod browser;
pub mod dialog;
pub mod error_view;
pub mod layout;
pub mod secret_form;
pub mod time;
