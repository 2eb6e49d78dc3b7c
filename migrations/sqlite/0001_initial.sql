-- Strongbox schema, SQLite dialect. Times are integer milliseconds since the Unix epoch.
-- Constraints are named so that the store can map violations without reading message text.

create table app_user (
    id integer primary key,
    name text not null constraint app_user_name_key unique,
    password_hash text not null,
    superuser integer not null default 0,
    created_at integer not null,
    updated_at integer not null
);

create table model (
    id integer primary key,
    uuid text not null constraint model_uuid_key unique,
    name text not null constraint model_name_key unique,
    created_at integer not null,
    updated_at integer not null
);

create table model_member (
    model_id integer not null references model (id) on delete cascade,
    user_id integer not null references app_user (id) on delete cascade,
    access text not null constraint model_member_access_check check (access in ('read', 'write', 'admin')),
    created_at integer not null,
    updated_at integer not null,
    constraint model_member_pkey primary key (model_id, user_id)
);
create index model_member_user_idx on model_member (user_id);

create table application (
    id integer primary key,
    model_id integer not null references model (id) on delete cascade,
    name text not null,
    created_at integer not null,
    updated_at integer not null,
    constraint application_model_name_key unique (model_id, name)
);

-- Application tokens now; personal access tokens share the table later. Only a hash is kept.
create table api_token (
    id integer primary key,
    application_id integer references application (id) on delete cascade,
    user_id integer references app_user (id) on delete cascade,
    token_hash text not null constraint api_token_hash_key unique,
    label text not null default '',
    created_at integer not null,
    updated_at integer not null,
    constraint api_token_owner_check check ((application_id is null) <> (user_id is null))
);
create index api_token_application_idx on api_token (application_id);

create table secret (
    id text primary key,
    model_id integer not null references model (id) on delete cascade,
    -- null: a user secret, owned by the model. Otherwise the owning application.
    owner_application_id integer references application (id) on delete cascade,
    name text,
    description text not null default '',
    auto_prune integer not null default 0,
    rotate_policy text not null default 'never',
    next_rotate_at integer,
    latest_revision integer not null,
    -- the highest revision number ever issued, so a removed number is never reused
    revision_counter integer not null,
    created_at integer not null,
    updated_at integer not null
);
create unique index secret_model_name_key on secret (model_id, name)
    where owner_application_id is null and name is not null;
create unique index secret_owner_label_key on secret (owner_application_id, name)
    where owner_application_id is not null and name is not null;
create index secret_model_created_idx on secret (model_id, created_at, id);
create index secret_model_updated_idx on secret (model_id, updated_at, id);
create index secret_model_sort_name_idx on secret (model_id, coalesce(name, ''), id);

-- Content is encrypted with a per-revision data key; the data key is wrapped by the master key.
create table secret_revision (
    secret_id text not null references secret (id) on delete cascade,
    revision integer not null,
    checksum text not null,
    expire_at integer,
    ciphertext blob not null,
    nonce blob not null,
    wrapped_key blob not null,
    key_nonce blob not null,
    master_key_id text not null,
    created_at integer not null,
    constraint secret_revision_pkey primary key (secret_id, revision)
);

create table secret_grant (
    secret_id text not null references secret (id) on delete cascade,
    application_id integer not null references application (id) on delete cascade,
    role text not null default 'view' constraint secret_grant_role_check check (role = 'view'),
    granted_by text not null,
    granted_at integer not null,
    constraint secret_grant_pkey primary key (secret_id, application_id)
);
create index secret_grant_application_idx on secret_grant (application_id);

-- Which revision each consuming application tracks.
create table secret_consumer (
    secret_id text not null references secret (id) on delete cascade,
    application_id integer not null references application (id) on delete cascade,
    current_revision integer not null,
    created_at integer not null,
    updated_at integer not null,
    constraint secret_consumer_pkey primary key (secret_id, application_id)
);

-- One row: the id of the master key every data key is wrapped with.
create table master_key_state (
    id integer primary key constraint master_key_state_single_check check (id = 1),
    current_key_id text not null,
    updated_at integer not null
);

-- Append-only and hash-chained. Rows outlive the things they name, so there are no foreign keys.
create table audit_event (
    seq integer primary key,
    at integer not null,
    actor_kind text not null,
    actor_name text not null,
    model_uuid text,
    secret_id text,
    revision integer,
    action text not null,
    outcome text not null,
    source text,
    detail text not null default '',
    prev_hash text not null,
    hash text not null
);
create index audit_event_model_idx on audit_event (model_uuid, seq);
create index audit_event_secret_idx on audit_event (secret_id, seq);

-- The newest link, so that deleting the last rows is detected too.
create table audit_head (
    id integer primary key constraint audit_head_single_check check (id = 1),
    seq integer not null,
    hash text not null
);

create trigger audit_event_no_update before update on audit_event
begin
    select raise(abort, 'audit events are append-only');
end;

create trigger audit_event_no_delete before delete on audit_event
begin
    select raise(abort, 'audit events are append-only');
end;
