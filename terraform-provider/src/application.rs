//! `resource "strongbox_application"`: an application in a model, and optionally a token for
//! it (kept sensitive in state), so one plan can go from model to application to grant.

use async_trait::async_trait;
use serde::{Deserialize, Serialize};
use strongbox_client::Client;
use tf_provider::schema::{AttributeConstraint, AttributeType, Block, NestedBlock, Schema};
use tf_provider::value::{self, Value, ValueEmpty};
use tf_provider::{AttributePath, Diagnostics, Resource, map};

use crate::diagnose::{Found, answered, found, import_id, removed};
use crate::resource_kit::{Shared, attribute, client, replaced};

#[derive(Serialize, Deserialize, Default, Clone, PartialEq)]
pub struct ApplicationState {
    model: Value<String>,
    name: Value<String>,
    #[serde(with = "value::serde_as_vec")]
    token: Value<TokenBlock>,
}

#[derive(Serialize, Deserialize, Default, Clone, PartialEq)]
pub struct TokenBlock {
    label: Value<String>,
    id: Value<i64>,
    value: Value<String>,
}

pub struct ApplicationResource {
    client: Shared,
}

impl ApplicationResource {
    pub fn new(client: Shared) -> Self {
        ApplicationResource { client }
    }
}

fn label(token: &TokenBlock) -> String {
    token
        .label
        .as_ref_option()
        .cloned()
        .unwrap_or_else(|| "terraform".to_owned())
}

/// Issues the token `planned` asks for, if it asks for one not yet issued.
async fn issue(
    diags: &mut Diagnostics,
    client: &Client,
    model: &str,
    name: &str,
    planned: Value<TokenBlock>,
) -> Option<Value<TokenBlock>> {
    let Value::Value(token) = planned else {
        return Some(Value::Null);
    };
    if token.id.is_value() {
        return Some(Value::Value(token));
    }
    let issued = client
        .create_application_token(model, name, &label(&token))
        .await;
    let issued = answered(diags, "issue the application's token", issued)?;
    Some(Value::Value(TokenBlock {
        id: Value::Value(issued.id),
        value: Value::Value(issued.token),
        ..token
    }))
}

#[async_trait]
impl Resource for ApplicationResource {
    type State<'a> = ApplicationState;
    type PrivateState<'a> = ValueEmpty;
    type ProviderMetaState<'a> = ValueEmpty;

    fn schema(&self, _diags: &mut Diagnostics) -> Option<Schema> {
        use AttributeConstraint::{Computed, Optional, Required};
        use AttributeType::{Number, String};
        let mut value = attribute(
            String,
            Computed,
            "The token, shown this once by the server.",
        );
        value.sensitive = true;
        let token = Block {
            description: "Issue a token for the application.".into(),
            attributes: map! {
                "label" => attribute(String, Optional, "Shown in the token list (default: terraform)."),
                "id" => attribute(Number, Computed, "The token's ID, to revoke it by."),
                "value" => value,
            },
            ..Block::default()
        };
        Some(Schema {
            version: 1,
            block: Block {
                description: "An application in a Strongbox model.".into(),
                attributes: map! {
                    "model" => attribute(String, Required, "The model; changing it replaces the application."),
                    "name" => attribute(String, Required, "The application's name; changing it replaces it."),
                },
                blocks: map! { "token" => NestedBlock::Optional(token) },
                ..Block::default()
            },
        })
    }

    async fn read<'a>(
        &self,
        diags: &mut Diagnostics,
        state: ApplicationState,
        private_state: ValueEmpty,
        _meta: ValueEmpty,
    ) -> Option<(ApplicationState, ValueEmpty)> {
        let client = client(&self.client, diags)?;
        let model = state.model.as_ref_option()?.clone();
        let name = state.name.as_ref_option()?.clone();
        let apps = match found(
            diags,
            "read the application",
            client.applications(&model).await,
        ) {
            Found::Here(apps) => apps,
            Found::Gone => return None,
            Found::Failed => return Some((state, private_state)),
        };
        let app = apps.into_iter().find(|a| a.name.as_str() == name)?;
        // A token revoked elsewhere is re-issued by the next apply.
        let token = state.token.map(|mut t| {
            let id = t.id.as_ref_option().copied();
            if !app.tokens.iter().any(|k| Some(k.id) == id) {
                t.id = Value::Null;
                t.value = Value::Null;
            }
            t
        });
        Some((ApplicationState { token, ..state }, private_state))
    }

    async fn plan_create<'a>(
        &self,
        _diags: &mut Diagnostics,
        proposed: ApplicationState,
        _config: ApplicationState,
        _meta: ValueEmpty,
    ) -> Option<(ApplicationState, ValueEmpty)> {
        let token = proposed.token.map(|t| TokenBlock {
            id: Value::Unknown,
            value: Value::Unknown,
            ..t
        });
        Some((
            ApplicationState { token, ..proposed },
            ValueEmpty::default(),
        ))
    }

    async fn plan_update<'a>(
        &self,
        _diags: &mut Diagnostics,
        prior: ApplicationState,
        proposed: ApplicationState,
        _config: ApplicationState,
        private_state: ValueEmpty,
        _meta: ValueEmpty,
    ) -> Option<(ApplicationState, ValueEmpty, Vec<AttributePath>)> {
        let replace = replaced(&[
            ("model", &prior.model, &proposed.model),
            ("name", &prior.name, &proposed.name),
        ]);
        let kept = prior.token.as_ref_option();
        let token = proposed.token.map(|t| match kept {
            // The same token still stands: keep it.
            Some(k) if k.label == t.label && k.id.is_value() => k.clone(),
            _ => TokenBlock {
                id: Value::Unknown,
                value: Value::Unknown,
                ..t
            },
        });
        Some((
            ApplicationState { token, ..proposed },
            private_state,
            replace,
        ))
    }

    async fn plan_destroy<'a>(
        &self,
        _diags: &mut Diagnostics,
        _prior: ApplicationState,
        private_state: ValueEmpty,
        _meta: ValueEmpty,
    ) -> Option<ValueEmpty> {
        Some(private_state)
    }

    async fn create<'a>(
        &self,
        diags: &mut Diagnostics,
        planned: ApplicationState,
        _config: ApplicationState,
        private_state: ValueEmpty,
        _meta: ValueEmpty,
    ) -> Option<(ApplicationState, ValueEmpty)> {
        let client = client(&self.client, diags)?;
        let model = planned.model.as_ref_option()?.clone();
        let name = planned.name.as_ref_option()?.clone();
        let added = client.add_application(&model, &name).await;
        answered(diags, "add the application", added)?;
        let token = issue(diags, client, &model, &name, planned.token.clone()).await?;
        Some((ApplicationState { token, ..planned }, private_state))
    }

    async fn update<'a>(
        &self,
        diags: &mut Diagnostics,
        prior: ApplicationState,
        planned: ApplicationState,
        _config: ApplicationState,
        private_state: ValueEmpty,
        _meta: ValueEmpty,
    ) -> Option<(ApplicationState, ValueEmpty)> {
        let client = client(&self.client, diags)?;
        let model = planned.model.as_ref_option()?.clone();
        let name = planned.name.as_ref_option()?.clone();
        let old = prior
            .token
            .as_ref_option()
            .and_then(|t| t.id.as_ref_option());
        let new = planned.token.as_ref_option().map(|t| t.id);
        // The prior token goes when the plan drops or replaces it.
        if let Some(&id) = old
            && new != Some(Value::Value(id))
        {
            let revoked = client.revoke_application_token(&model, &name, id).await;
            removed(diags, "revoke the application's old token", revoked)?;
        }
        let token = issue(diags, client, &model, &name, planned.token.clone()).await?;
        Some((ApplicationState { token, ..planned }, private_state))
    }

    async fn destroy<'a>(
        &self,
        diags: &mut Diagnostics,
        prior: ApplicationState,
        _private_state: ValueEmpty,
        _meta: ValueEmpty,
    ) -> Option<()> {
        let client = client(&self.client, diags)?;
        let model = prior.model.as_ref_option()?;
        let name = prior.name.as_ref_option()?;
        // Gone already: what destroy wanted.
        let gone = client.remove_application(model, name).await;
        removed(diags, "remove the application", gone)
    }

    async fn import<'a>(
        &self,
        diags: &mut Diagnostics,
        id: String,
    ) -> Option<(ApplicationState, ValueEmpty)> {
        let (model, name) = import_id(diags, &id)?;
        let state = ApplicationState {
            model: Value::Value(model),
            name: Value::Value(name),
            token: Value::Null,
        };
        Some((state, ValueEmpty::default()))
    }
}
