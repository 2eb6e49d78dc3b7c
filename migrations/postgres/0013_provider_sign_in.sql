-- Sign-in through an OpenID provider (issue 26, ADR 0026).

-- A sign-in between the redirect to the provider and its callback, kept here so that any node
-- can finish what another began. Keyed by a SHA-256 of `state`; one use, ten minutes.
create table oidc_flow (
    state_hash text primary key,
    nonce text not null,
    pkce_verifier text not null,
    return_to text not null,
    created_at bigint not null
);
create index oidc_flow_created_idx on oidc_flow (created_at);

-- Who a provider's person is here: (issuer, subject), never a name or an email.
create table user_identity (
    issuer text not null,
    subject text not null,
    user_id bigint not null references app_user (id) on delete cascade,
    linked_at bigint not null,
    constraint user_identity_pkey primary key (issuer, subject)
);
create index user_identity_user_idx on user_identity (user_id);

-- Access that the provider's groups give, apart from what an admin set by hand
-- (model_member): made to match the mappings at every sign-in through the provider. A person's
-- level in a model is the higher of the two.
create table model_group_member (
    model_id bigint not null references model (id) on delete cascade,
    user_id bigint not null references app_user (id) on delete cascade,
    access text not null constraint model_group_member_access_check check (access in ('read', 'write', 'admin')),
    groups text not null,
    updated_at bigint not null,
    constraint model_group_member_pkey primary key (model_id, user_id)
);
create index model_group_member_user_idx on model_group_member (user_id);

-- A superuser by a provider group, apart from one made by hand.
alter table app_user add column group_superuser boolean not null default false;
