-- Juju's vault secret backend (issue 29, ADR 0030): backends, their KV version 1 mounts (each
-- a model the backend owns), their ACL policies and their tokens.

create table juju_backend (
    id integer primary key autoincrement,
    name text not null constraint juju_backend_name_key unique,
    created_at integer not null
);

create table vault_mount (
    path text primary key,
    backend_id integer not null references juju_backend (id) on delete cascade,
    model_id integer not null constraint vault_mount_model_key unique
        references model (id) on delete cascade,
    created_at integer not null
);
create index vault_mount_backend_idx on vault_mount (backend_id);

create table vault_policy (
    backend_id integer not null references juju_backend (id) on delete cascade,
    name text not null,
    body text not null,
    created_at integer not null,
    updated_at integer not null,
    constraint vault_policy_pkey primary key (backend_id, name)
);

-- Only a hash of each token is kept. A token's children go with it (`on delete cascade`), as
-- Vault revokes them with their parent; an orphan has no parent. `policies` is a JSON array of
-- names, or null for the backend's own role (its token, and those made from it without
-- policies). Ids are never reused.
create table vault_token (
    id integer primary key autoincrement,
    backend_id integer not null references juju_backend (id) on delete cascade,
    parent_id integer references vault_token (id) on delete cascade,
    token_hash text not null constraint vault_token_hash_key unique,
    accessor text not null constraint vault_token_accessor_key unique,
    display_name text not null,
    policies text,
    default_policy integer not null,
    created_at integer not null,
    expires_at integer
);
create index vault_token_parent_idx on vault_token (parent_id);
create index vault_token_expiry_idx on vault_token (expires_at) where expires_at is not null;
