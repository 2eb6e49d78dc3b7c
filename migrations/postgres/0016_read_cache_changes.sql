-- What each node's read cache must forget (issue 28, docs/adr/0028). Every committed change to
-- what an application's read looks up leaves a row here, written by triggers so that no code
-- path can forget to. Writers hold the write lock (an advisory lock) until they commit, so `seq`
-- follows commit order. Each node reads the rows past the last one it has seen in its audit
-- group commit, after taking the same lock, and forgets what they name before answering.
--   application_id: that application's token holders are stale
--   secret_id:      reads of that secret are stale
--   both null:      everything is stale
create table cache_change (
    seq bigint generated always as identity primary key,
    application_id bigint,
    secret_id text,
    at timestamptz not null default now()
);
create index cache_change_at_idx on cache_change (at);

create function cache_change_of_token() returns trigger language plpgsql as $$
begin
    if old.application_id is not null then
        insert into cache_change (application_id) values (old.application_id);
    end if;
    return null;
end;
$$;
create trigger cache_change_of_token after update or delete on api_token
    for each row execute function cache_change_of_token();

create function cache_change_of_application() returns trigger language plpgsql as $$
begin
    insert into cache_change (application_id) values (old.id);
    return null;
end;
$$;
create trigger cache_change_of_application after update or delete on application
    for each row execute function cache_change_of_application();

create function cache_change_of_secret() returns trigger language plpgsql as $$
begin
    insert into cache_change (secret_id) values (old.id);
    return null;
end;
$$;
create trigger cache_change_of_secret after update or delete on secret
    for each row execute function cache_change_of_secret();

-- A grant, a tracking or a revision of one secret.
create function cache_change_of_secret_part() returns trigger language plpgsql as $$
begin
    insert into cache_change (secret_id) values (coalesce(new.secret_id, old.secret_id));
    return null;
end;
$$;
create trigger cache_change_of_grant after insert or delete on secret_grant
    for each row execute function cache_change_of_secret_part();
create trigger cache_change_of_consumer after insert or update or delete on secret_consumer
    for each row execute function cache_change_of_secret_part();
create trigger cache_change_of_revision after delete on secret_revision
    for each row execute function cache_change_of_secret_part();

-- Rare changes that touch many rows at once (a renamed model; a master key rotation re-wraps
-- every revision): one row that makes everything stale, not one per row.
create function cache_change_of_everything() returns trigger language plpgsql as $$
begin
    insert into cache_change default values;
    return null;
end;
$$;
create trigger cache_change_of_model after update or delete on model
    for each statement execute function cache_change_of_everything();
create trigger cache_change_of_revisions after update on secret_revision
    for each statement execute function cache_change_of_everything();
