//! Percent-encoding for query values built by hand.

pub use domain::url::encode_component as encode;
