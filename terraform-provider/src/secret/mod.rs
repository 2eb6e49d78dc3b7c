//! `resource "strongbox_secret"`: a user secret in a model. Renames happen in place and an
//! empty `info` clears the description (terraform-provider-juju can do neither). Drift in the
//! value is seen without reading it: every content change makes a new revision, so a revision
//! other than the one this provider last wrote means someone else changed the value.

mod state;

use api_types::secrets::{AddSecret, ContentInput, UpdateSecret};
use async_trait::async_trait;
use tf_provider::schema::Schema;
use tf_provider::value::{Value, ValueEmpty};
use tf_provider::{AttributePath, Diagnostics, Resource};

use crate::content::content_input;
use crate::diagnose::{Found, answered, error, failed, found, import_id, removed};
use crate::resource_kit::{Shared, client};
use state::{SecretState, observed, text};

pub struct SecretResource {
    client: Shared,
}

/// Whether the plan sends content: a new `value`, or a new `value_wo_version`.
fn new_content(prior: &SecretState, planned: &SecretState) -> bool {
    planned.value != prior.value || planned.value_wo_version != prior.value_wo_version
}

impl SecretResource {
    pub fn new(client: Shared) -> Self {
        SecretResource { client }
    }

    /// The state after a write: `planned` with the ID and the revision the server gave, read
    /// back as the server now shows it.
    async fn written(
        &self,
        diags: &mut Diagnostics,
        planned: SecretState,
        id: String,
        revision: i64,
    ) -> Option<SecretState> {
        let written = SecretState {
            secret_id: Value::Value(id),
            revision: Value::Value(revision),
            ..planned
        };
        self.refreshed(diags, written).await
    }

    /// The secret as the server has it now, over `prior`: `None` if it is gone.
    async fn refreshed(&self, diags: &mut Diagnostics, prior: SecretState) -> Option<SecretState> {
        let client = client(&self.client, diags)?;
        let model = prior.model.as_ref_option()?.clone();
        let id = prior.secret_id.as_ref_option()?.clone();
        match found(
            diags,
            "read the secret",
            client.show_secret(&model, &id).await,
        ) {
            Found::Here(detail) => Some(observed(prior, detail)),
            Found::Gone => None,
            Found::Failed => Some(prior),
        }
    }
}

#[async_trait]
impl Resource for SecretResource {
    type State<'a> = SecretState;
    type PrivateState<'a> = ValueEmpty;
    type ProviderMetaState<'a> = ValueEmpty;

    fn schema(&self, _diags: &mut Diagnostics) -> Option<Schema> {
        Some(state::schema())
    }

    async fn validate<'a>(&self, diags: &mut Diagnostics, config: SecretState) -> Option<()> {
        if config.value.is_null() == config.value_wo.is_null() {
            let detail =
                "Give the content as `value`, or as `value_wo` to keep it out of the state.";
            error(
                diags,
                "Set exactly one of value and value_wo",
                detail,
                Some("value"),
            );
        } else if config.value_wo.is_value() && config.value_wo_version.is_null() {
            let detail = "Terraform never stores `value_wo`, so a change to it is seen only \
                          through `value_wo_version`: set it, and bump it to send a new value.";
            error(
                diags,
                "value_wo needs value_wo_version",
                detail,
                Some("value_wo_version"),
            );
        }
        Some(())
    }

    async fn read<'a>(
        &self,
        diags: &mut Diagnostics,
        state: SecretState,
        private_state: ValueEmpty,
        _meta: ValueEmpty,
    ) -> Option<(SecretState, ValueEmpty)> {
        Some((self.refreshed(diags, state).await?, private_state))
    }

    async fn plan_create<'a>(
        &self,
        _diags: &mut Diagnostics,
        proposed: SecretState,
        _config: SecretState,
        _meta: ValueEmpty,
    ) -> Option<(SecretState, ValueEmpty)> {
        let planned = SecretState {
            value_wo: Value::Null,
            secret_id: Value::Unknown,
            secret_uri: Value::Unknown,
            revision: Value::Unknown,
            ..proposed
        };
        Some((planned, ValueEmpty::default()))
    }

    async fn plan_update<'a>(
        &self,
        _diags: &mut Diagnostics,
        prior: SecretState,
        proposed: SecretState,
        _config: SecretState,
        private_state: ValueEmpty,
        _meta: ValueEmpty,
    ) -> Option<(SecretState, ValueEmpty, Vec<AttributePath>)> {
        let mut replace = Vec::new();
        if proposed.model != prior.model {
            replace.push(AttributePath::new("model"));
        }
        let revision = if new_content(&prior, &proposed) {
            Value::Unknown
        } else {
            prior.revision
        };
        let planned = SecretState {
            value_wo: Value::Null,
            secret_id: prior.secret_id,
            secret_uri: prior.secret_uri,
            revision,
            ..proposed
        };
        Some((planned, private_state, replace))
    }

    async fn plan_destroy<'a>(
        &self,
        _diags: &mut Diagnostics,
        _prior: SecretState,
        private_state: ValueEmpty,
        _meta: ValueEmpty,
    ) -> Option<ValueEmpty> {
        Some(private_state)
    }

    async fn create<'a>(
        &self,
        diags: &mut Diagnostics,
        planned: SecretState,
        config: SecretState,
        private_state: ValueEmpty,
        _meta: ValueEmpty,
    ) -> Option<(SecretState, ValueEmpty)> {
        let client = client(&self.client, diags)?;
        let model = text(&planned.model);
        let secret = AddSecret {
            name: planned.name.as_ref_option().cloned(),
            description: text(&planned.info),
            content: content_input(
                config
                    .value_wo
                    .as_ref_option()
                    .or(planned.value.as_ref_option())?,
            ),
        };
        let created = answered(
            diags,
            "add the secret",
            client.add_secret(&model, &secret).await,
        )?;
        if planned.auto_prune == Value::Value(true) {
            let update = UpdateSecret {
                name: None,
                description: None,
                auto_prune: Some(true),
                expected_revision: None,
                content: ContentInput::default(),
            };
            if let Err(e) = client
                .update_secret(&model, created.id.as_str(), &update)
                .await
            {
                failed(diags, "turn auto-prune on", &e);
            }
        }
        let written = self
            .written(diags, planned, created.id.to_string(), 1)
            .await?;
        Some((written, private_state))
    }

    async fn update<'a>(
        &self,
        diags: &mut Diagnostics,
        prior: SecretState,
        planned: SecretState,
        config: SecretState,
        private_state: ValueEmpty,
        _meta: ValueEmpty,
    ) -> Option<(SecretState, ValueEmpty)> {
        let client = client(&self.client, diags)?;
        let new_value = new_content(&prior, &planned);
        // The write-only value comes from the configuration: plans and states never hold it.
        let content = config
            .value_wo
            .as_ref_option()
            .or(planned.value.as_ref_option());
        let update = UpdateSecret {
            name: (planned.name != prior.name)
                .then(|| planned.name.as_ref_option().cloned())
                .flatten(),
            description: (planned.info != prior.info).then(|| text(&planned.info)),
            auto_prune: (planned.auto_prune != prior.auto_prune)
                .then(|| planned.auto_prune.as_ref_option().copied().unwrap_or(false)),
            // A value written over a revision made since the last refresh is refused.
            expected_revision: new_value
                .then(|| prior.revision.as_ref_option().copied())
                .flatten(),
            content: match (new_value, content) {
                (true, Some(value)) => content_input(value),
                _ => ContentInput::default(),
            },
        };
        let id = text(&prior.secret_id);
        let updated = answered(
            diags,
            "update the secret",
            client
                .update_secret(&text(&prior.model), &id, &update)
                .await,
        )?;
        let written = self.written(diags, planned, id, updated.revision).await?;
        Some((written, private_state))
    }

    async fn destroy<'a>(
        &self,
        diags: &mut Diagnostics,
        prior: SecretState,
        _private_state: ValueEmpty,
        _meta: ValueEmpty,
    ) -> Option<()> {
        let client = client(&self.client, diags)?;
        let id = text(&prior.secret_id);
        // Gone already: what destroy wanted.
        let gone = client.remove_secret(&text(&prior.model), &id, None).await;
        removed(diags, "remove the secret", gone)
    }

    async fn import<'a>(
        &self,
        diags: &mut Diagnostics,
        id: String,
    ) -> Option<(SecretState, ValueEmpty)> {
        let (model, name) = import_id(diags, &id)?;
        let client = client(&self.client, diags)?;
        let detail = answered(
            diags,
            "import the secret",
            client.show_secret(&model, &name).await,
        )?;
        let prior = SecretState {
            model: Value::Value(model),
            ..SecretState::default()
        };
        Some((observed(prior, detail), ValueEmpty::default()))
    }
}
