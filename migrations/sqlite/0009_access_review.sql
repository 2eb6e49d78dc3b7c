-- The access review (issue 25; ADR 0024).
-- Reads per grant and UTC day, upserted by the journal's group commit (one statement per
-- group, never one per read). No foreign keys: a group must not fail because a secret or an
-- application went between the read and the commit; the review joins from secret_grant, so a
-- row left behind is never shown, and revoking or removing deletes the pair's rows.
create table grant_usage (
    application_id integer not null,
    secret_id text not null,
    -- days since 1970-01-01 UTC
    day integer not null,
    reads integer not null,
    last_read_at integer not null,
    constraint grant_usage_pkey primary key (application_id, secret_id, day)
);

-- Each sign-off: who reviewed the model's grants, when, with what note, and a digest of the
-- grant set at that moment (so the page can tell whether anything changed since).
create table access_review_sign_off (
    id integer primary key,
    model_id integer not null references model (id) on delete cascade,
    reviewed_by text not null,
    reviewed_at integer not null,
    note text not null,
    grant_digest text not null,
    grant_count integer not null
);
create index access_review_sign_off_model_idx on access_review_sign_off (model_id, reviewed_at);
