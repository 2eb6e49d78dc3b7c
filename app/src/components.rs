//! Pieces the pages share.

pub mod browser;
pub mod dialog;
pub mod error_view;
pub mod layout;
pub mod model_tabs;
pub mod return_here;
pub mod reveal;
pub mod review_list;
pub mod review_matrix;
pub mod review_state;
pub mod review_status;
pub mod secret_actions;
pub mod secret_form;
pub mod secret_sections;
pub mod shown_once;
pub mod time;
pub mod toast;
pub mod url;
