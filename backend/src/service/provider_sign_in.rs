//! Sign-in through an OpenID provider (ADR 0026). The HTTP edge runs the protocol and checks the
//! ID token; here the flow is kept between the redirect and the callback (in the database, so
//! any node may finish it), and a checked identity becomes a user whose access follows their
//! groups at every sign-in.

use std::collections::BTreeMap;

use domain::{AccessLevel, ModelName, Permission, UserName};

use super::{Caller, Services, Subject};
use crate::audit::AuditAction;
use crate::error::{Conflict, Missing, ServiceError, ServiceResult};
use crate::store::{Identity, NewUser, ProviderFlow, Tx, UserRecord};

/// A flow not finished within this long is refused.
pub const FLOW_TTL_MS: i64 = 10 * 60 * 1000;

/// Never a valid PHC string, so a user made by a provider has no password that works.
const NO_PASSWORD: &str = "!provider";

/// `--oidc-group GROUP=MODEL:LEVEL`: members of `group` get `level` in `model`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GroupMapping {
    pub group: String,
    pub model: ModelName,
    pub level: AccessLevel,
}

/// What provider groups give: levels in models, and superuser.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct GroupRoles {
    pub mappings: Vec<GroupMapping>,
    pub superuser_groups: Vec<String>,
}

/// A person as the provider vouched for them, after the edge checked the ID token.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProviderPerson {
    pub identity: Identity,
    /// The username claim: the name a new user gets.
    pub username: String,
    pub groups: Vec<String>,
}

impl Services {
    /// Links the provider's person `identity` to the existing user `name` (`strongbox admin
    /// link-user`): their next sign-in through the provider is as that user. Audited.
    #[tracing::instrument(skip_all)]
    pub async fn link_user(
        &self,
        caller: &Caller,
        name: &UserName,
        identity: &Identity,
    ) -> ServiceResult<UserRecord> {
        let mut tx = self
            .writing_global(caller, Permission::ManageUsers, AuditAction::UserUpdate)
            .await?;
        let user = tx
            .user_by_name(name)
            .await?
            .ok_or_else(|| ServiceError::NotFound(Missing::User(name.to_string())))?;
        if let Some(linked) = tx.user_by_identity(identity).await? {
            return Err(ServiceError::Conflict(Conflict::IdentityLinked(
                linked.name.to_string(),
            )));
        }
        tx.link_identity(identity, user.id, self.clock.now())
            .await?;
        let detail = format!(
            "{name} linked to subject {} of {}",
            identity.subject, identity.issuer
        );
        self.succeeded(
            &mut *tx,
            caller,
            AuditAction::UserUpdate,
            Subject::default().detail(detail),
        )
        .await?;
        tx.commit().await?;
        Ok(user)
    }

    /// Keeps a flow the browser is sent to the provider with.
    pub async fn begin_provider_flow(&self, flow: ProviderFlow) -> ServiceResult<()> {
        let mut tx = self.store.write().await?;
        tx.insert_provider_flow(&flow).await?;
        Ok(tx.commit().await?)
    }

    /// The flow `state_hash` names, once: a second callback with the same state, or one after
    /// [`FLOW_TTL_MS`], finds nothing.
    pub async fn take_provider_flow(
        &self,
        state_hash: &str,
    ) -> ServiceResult<Option<ProviderFlow>> {
        let since = self.clock.now().plus_millis(-FLOW_TTL_MS);
        let mut tx = self.store.write().await?;
        let flow = tx.take_provider_flow(state_hash, since).await?;
        tx.commit().await?;
        Ok(flow)
    }

    /// The user `person` is, made on their first sign-in, with their access from groups set to
    /// match `roles` (each change audited), in one transaction. A local user of the same name
    /// is never taken over.
    #[tracing::instrument(skip_all)]
    pub async fn sign_in_with_provider(
        &self,
        person: &ProviderPerson,
        roles: &GroupRoles,
    ) -> ServiceResult<UserRecord> {
        let mut tx = self.store.write().await?;
        let user = match tx.user_by_identity(&person.identity).await? {
            Some(user) => user,
            None => self.first_sign_in(&mut *tx, person).await?,
        };
        let caller = Caller::user(user.id, user.name.clone());
        self.match_groups(&mut *tx, &caller, &user, person, roles)
            .await?;
        let signed_in = tx
            .user(user.id)
            .await?
            .ok_or(ServiceError::Unauthenticated)?;
        let groups = match person.groups.as_slice() {
            [] => "no groups".to_owned(),
            groups => format!("groups {}", groups.join(", ")),
        };
        let detail = format!(
            "signed in through {} as subject {}, with {groups}",
            person.identity.issuer, person.identity.subject
        );
        self.succeeded(
            &mut *tx,
            &caller,
            AuditAction::SignIn,
            Subject::default().detail(detail),
        )
        .await?;
        tx.commit().await?;
        Ok(signed_in)
    }

    async fn first_sign_in(
        &self,
        tx: &mut dyn Tx,
        person: &ProviderPerson,
    ) -> ServiceResult<UserRecord> {
        let name = UserName::parse(&person.username)?;
        if tx.user_by_name(&name).await?.is_some() {
            return Err(ServiceError::Conflict(Conflict::LocalUser(
                name.as_str().to_owned(),
            )));
        }
        let now = self.clock.now();
        let new = NewUser {
            name: name.clone(),
            password_hash: NO_PASSWORD.into(),
            superuser: false,
            now,
        };
        let id = tx.insert_user(&new).await?;
        tx.link_identity(&person.identity, id, now).await?;
        let caller = Caller::user(id, name.clone());
        let detail = format!(
            "user {name} created at first sign-in through {}",
            person.identity.issuer
        );
        self.succeeded(
            tx,
            &caller,
            AuditAction::UserCreate,
            Subject::default().detail(detail),
        )
        .await?;
        tx.user(id).await?.ok_or(ServiceError::Unauthenticated)
    }

    /// Adds, changes and removes the user's access from groups to match `roles`.
    async fn match_groups(
        &self,
        tx: &mut dyn Tx,
        caller: &Caller,
        user: &UserRecord,
        person: &ProviderPerson,
        roles: &GroupRoles,
    ) -> ServiceResult<()> {
        let now = self.clock.now();
        let wanted = wanted_access(roles, &person.groups);
        let held = tx.group_memberships(user.id).await?;
        for had in &held {
            if !wanted.contains_key(&had.model_name) {
                tx.remove_group_member(had.model_id, user.id).await?;
                let Some(model) = tx.model(had.model_id).await? else {
                    continue;
                };
                let detail = format!(
                    "{} no longer in a group that gives access ({} by {})",
                    user.name, had.access, had.groups
                );
                let subject = Subject::model(&model).detail(detail);
                self.succeeded(tx, caller, AuditAction::MemberRemove, subject)
                    .await?;
            }
        }
        for (model_name, (level, groups)) in &wanted {
            let groups = groups.join(",");
            let same = held
                .iter()
                .any(|h| &h.model_name == model_name && h.access == *level && h.groups == groups);
            if same {
                continue;
            }
            let Some(model) = tx.model_by_name(model_name).await? else {
                tracing::warn!(model = %model_name, "an --oidc-group mapping names a model that does not exist");
                continue;
            };
            tx.set_group_member(model.id, user.id, *level, &groups, now)
                .await?;
            let detail = format!("{}: {level} by group {groups}", user.name);
            self.succeeded(
                tx,
                caller,
                AuditAction::MemberSet,
                Subject::model(&model).detail(detail),
            )
            .await?;
        }
        let superuser = person
            .groups
            .iter()
            .any(|g| roles.superuser_groups.contains(g));
        if superuser != user.group_superuser {
            tx.set_group_superuser(user.id, superuser, now).await?;
            let detail = if superuser {
                format!("{} is a superuser by group", user.name)
            } else {
                format!("{} is no longer a superuser by group", user.name)
            };
            self.succeeded(
                tx,
                caller,
                AuditAction::UserUpdate,
                Subject::default().detail(detail),
            )
            .await?;
        }
        Ok(())
    }
}

/// Per model, the highest level the person's groups give, and those groups in name order.
fn wanted_access(
    roles: &GroupRoles,
    groups: &[String],
) -> BTreeMap<ModelName, (AccessLevel, Vec<String>)> {
    let mut wanted: BTreeMap<ModelName, (AccessLevel, Vec<String>)> = BTreeMap::new();
    for m in roles.mappings.iter().filter(|m| groups.contains(&m.group)) {
        let entry = wanted
            .entry(m.model.clone())
            .or_insert((m.level, Vec::new()));
        entry.0 = entry.0.max(m.level);
        if !entry.1.contains(&m.group) {
            entry.1.push(m.group.clone());
        }
    }
    for (_, groups) in wanted.values_mut() {
        groups.sort();
    }
    wanted
}
