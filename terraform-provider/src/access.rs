//! `resource "strongbox_access_secret"`: which applications may read a secret. An update diffs
//! the set into grants and revokes; destroy revokes them all.

use std::collections::BTreeSet;

use api_types::secrets::SecretDetailJson;
use async_trait::async_trait;
use serde::{Deserialize, Serialize};
use tf_provider::schema::{AttributeConstraint, AttributeType, Block, Schema};
use tf_provider::value::{Value, ValueEmpty};
use tf_provider::{AttributePath, Diagnostics, Resource, map};

use crate::diagnose::{Found, answered, found, import_id, removed};
use crate::resource_kit::{Shared, attribute, client, replaced};

#[derive(Serialize, Deserialize, Default, Clone, PartialEq)]
pub struct AccessState {
    model: Value<String>,
    secret_id: Value<String>,
    /// Elements may be unknown at plan time (an application made in the same plan).
    applications: Value<BTreeSet<Value<String>>>,
}

pub struct AccessResource {
    client: Shared,
}

impl AccessResource {
    pub fn new(client: Shared) -> Self {
        AccessResource { client }
    }
}

/// The applications holding a grant, as the detail lists them (`application-<name>`).
fn granted(detail: &SecretDetailJson) -> BTreeSet<Value<String>> {
    detail
        .access
        .iter()
        .filter_map(|a| a.target.strip_prefix("application-"))
        .map(|name| Value::Value(name.to_owned()))
        .collect()
}

/// The known names in the set (all of them, by the time anything is applied).
fn names(set: &Value<BTreeSet<Value<String>>>) -> BTreeSet<String> {
    set.iter()
        .flatten()
        .filter_map(|v| v.as_ref_option().cloned())
        .collect()
}

impl AccessResource {
    /// Grants what `planned` adds to `before` and revokes what it drops; `None` (with the
    /// failure recorded) if the server refused either. Creating is converging from nothing.
    async fn converge(
        &self,
        diags: &mut Diagnostics,
        before: BTreeSet<String>,
        planned: &AccessState,
    ) -> Option<()> {
        let client = client(&self.client, diags)?;
        let model = planned.model.as_ref_option()?;
        let id = planned.secret_id.as_ref_option()?;
        let after = names(&planned.applications);
        let add: Vec<String> = after.difference(&before).cloned().collect();
        let remove: Vec<String> = before.difference(&after).cloned().collect();
        if !add.is_empty() {
            answered(
                diags,
                "grant access",
                client.grant_secret(model, id, &add).await,
            )?;
        }
        if !remove.is_empty() {
            let revoked = client.revoke_secret(model, id, &remove).await;
            answered(diags, "revoke access", revoked)?;
        }
        Some(())
    }
}

#[async_trait]
impl Resource for AccessResource {
    type State<'a> = AccessState;
    type PrivateState<'a> = ValueEmpty;
    type ProviderMetaState<'a> = ValueEmpty;

    fn schema(&self, _diags: &mut Diagnostics) -> Option<Schema> {
        use AttributeConstraint::Required;
        use AttributeType::{Set, String};
        Some(Schema {
            version: 1,
            block: Block {
                description: "The applications granted access to read a secret.".into(),
                attributes: map! {
                    "model" => attribute(String, Required, "The model; changing it replaces the grants."),
                    "secret_id" => attribute(String, Required, "The secret's ID; changing it replaces the grants."),
                    "applications" => attribute(Set(Box::new(String)), Required, "The applications that may read the secret."),
                },
                ..Block::default()
            },
        })
    }

    async fn read<'a>(
        &self,
        diags: &mut Diagnostics,
        state: AccessState,
        private_state: ValueEmpty,
        _meta: ValueEmpty,
    ) -> Option<(AccessState, ValueEmpty)> {
        let client = client(&self.client, diags)?;
        let model = state.model.as_ref_option()?.clone();
        let id = state.secret_id.as_ref_option()?.clone();
        match found(
            diags,
            "read the grants",
            client.show_secret(&model, &id).await,
        ) {
            Found::Here(detail) => {
                let applications = Value::Value(granted(&detail));
                Some((
                    AccessState {
                        applications,
                        ..state
                    },
                    private_state,
                ))
            }
            // The secret is gone, and its grants with it.
            Found::Gone => None,
            Found::Failed => Some((state, private_state)),
        }
    }

    async fn plan_create<'a>(
        &self,
        _diags: &mut Diagnostics,
        proposed: AccessState,
        _config: AccessState,
        _meta: ValueEmpty,
    ) -> Option<(AccessState, ValueEmpty)> {
        Some((proposed, ValueEmpty::default()))
    }

    async fn plan_update<'a>(
        &self,
        _diags: &mut Diagnostics,
        prior: AccessState,
        proposed: AccessState,
        _config: AccessState,
        private_state: ValueEmpty,
        _meta: ValueEmpty,
    ) -> Option<(AccessState, ValueEmpty, Vec<AttributePath>)> {
        let replace = replaced(&[
            ("model", &prior.model, &proposed.model),
            ("secret_id", &prior.secret_id, &proposed.secret_id),
        ]);
        Some((proposed, private_state, replace))
    }

    async fn plan_destroy<'a>(
        &self,
        _diags: &mut Diagnostics,
        _prior: AccessState,
        private_state: ValueEmpty,
        _meta: ValueEmpty,
    ) -> Option<ValueEmpty> {
        Some(private_state)
    }

    async fn create<'a>(
        &self,
        diags: &mut Diagnostics,
        planned: AccessState,
        _config: AccessState,
        private_state: ValueEmpty,
        _meta: ValueEmpty,
    ) -> Option<(AccessState, ValueEmpty)> {
        // What was granted before: nothing.
        self.converge(diags, BTreeSet::new(), &planned).await?;
        Some((planned, private_state))
    }

    async fn update<'a>(
        &self,
        diags: &mut Diagnostics,
        prior: AccessState,
        planned: AccessState,
        _config: AccessState,
        private_state: ValueEmpty,
        _meta: ValueEmpty,
    ) -> Option<(AccessState, ValueEmpty)> {
        self.converge(diags, names(&prior.applications), &planned)
            .await?;
        Some((planned, private_state))
    }

    async fn destroy<'a>(
        &self,
        diags: &mut Diagnostics,
        prior: AccessState,
        _private_state: ValueEmpty,
        _meta: ValueEmpty,
    ) -> Option<()> {
        let client = client(&self.client, diags)?;
        let model = prior.model.as_ref_option()?;
        let id = prior.secret_id.as_ref_option()?;
        let all: Vec<String> = names(&prior.applications).into_iter().collect();
        if all.is_empty() {
            return Some(());
        }
        // The secret, or an application, is gone: so are its grants.
        let revoked = client.revoke_secret(model, id, &all).await.map(drop);
        removed(diags, "revoke access", revoked)
    }

    async fn import<'a>(
        &self,
        diags: &mut Diagnostics,
        id: String,
    ) -> Option<(AccessState, ValueEmpty)> {
        let (model, name) = import_id(diags, &id)?;
        let client = client(&self.client, diags)?;
        let detail = answered(
            diags,
            "import the grants",
            client.show_secret(&model, &name).await,
        )?;
        let state = AccessState {
            model: Value::Value(model),
            applications: Value::Value(granted(&detail)),
            secret_id: Value::Value(detail.secret.id.to_string()),
        };
        Some((state, ValueEmpty::default()))
    }
}
