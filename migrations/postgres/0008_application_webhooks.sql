-- Optional webhooks (issue 13): an application's events, posted to a URL as Standard Webhooks.
-- One per application. The signing key is wrapped by the master key, like a data key; the
-- cursor is the last event delivered (or passed over), so delivery resumes where it stopped.
create table app_webhook (
    application_id bigint primary key references application (id) on delete cascade,
    url text not null,
    wrapped_key bytea not null,
    key_nonce bytea not null,
    master_key_id text not null,
    delivered_through bigint not null,
    -- Failed attempts in a row; the next one waits longer, and after the last one the webhook
    -- is disabled until someone enables it again.
    failures bigint not null default 0,
    next_attempt_at bigint not null default 0,
    -- A node delivering holds the webhook until then, so no other delivers the same events.
    lease_until bigint not null default 0,
    disabled_at bigint,
    last_error text,
    last_success_at bigint,
    created_at bigint not null,
    updated_at bigint not null
);
create index app_webhook_due_idx on app_webhook (next_attempt_at) where disabled_at is null;
