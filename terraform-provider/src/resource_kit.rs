//! What the resources and the data source share with the provider: the client cell that
//! `configure` fills, and small helpers for schemas and plans. A leaf: it imports none of them,
//! so that every dependency runs one way (provider → resources → this).

use std::sync::{Arc, OnceLock};

use strongbox_client::Client;
use tf_provider::AttributePath;
use tf_provider::Diagnostics;
use tf_provider::schema::{Attribute, AttributeConstraint, AttributeType};
use tf_provider::value::Value;

use crate::diagnose::error;

/// The client, set once `configure` has run. Terraform asks for the resources before it
/// configures the provider, so they share this cell.
pub type Shared = Arc<OnceLock<Client>>;

/// One schema attribute.
pub fn attribute(
    attr_type: AttributeType,
    constraint: AttributeConstraint,
    description: &str,
) -> Attribute {
    Attribute {
        attr_type,
        description: description.to_owned().into(),
        constraint,
        ..Attribute::default()
    }
}

/// The configured client; before `configure` (which Terraform never allows) it is an error.
pub fn client<'c>(shared: &'c Shared, diags: &mut Diagnostics) -> Option<&'c Client> {
    let client = shared.get();
    if client.is_none() {
        error(diags, "The provider is not configured", "", None);
    }
    client
}

/// The attributes, among `(name, before, after)`, whose change means a new object: the paths
/// a plan returns as "requires replace".
pub fn replaced(changes: &[(&'static str, &Value<String>, &Value<String>)]) -> Vec<AttributePath> {
    changes
        .iter()
        .filter(|(_, before, after)| before != after)
        .map(|(name, _, _)| AttributePath::new(*name))
        .collect()
}
