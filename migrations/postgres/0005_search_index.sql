-- Substring search over a secret's name, ID, description, owner and grantees, without a table
-- scan: one search document per secret (fields separated by newlines), kept current by triggers,
-- with a trigram GIN index that serves ILIKE '%term%'.
create extension if not exists pg_trgm;

create table secret_search_doc (
    secret_id text primary key references secret (id) on delete cascade,
    doc text not null
);
create index secret_search_doc_trgm_idx on secret_search_doc using gin (doc gin_trgm_ops);

-- The document as it should read now, for any secret.
create view secret_search_source as
select s.id as secret_id,
       coalesce(s.name, '') || chr(10) || s.id || chr(10) || s.description || chr(10)
       || coalesce((select a.name from application a where a.id = s.owner_application_id), '<model>')
       || chr(10)
       || coalesce((select string_agg(ga.name, chr(10) order by ga.name) from secret_grant g
                    join application ga on ga.id = g.application_id where g.secret_id = s.id), '')
       as doc
from secret s;

create function secret_search_refresh(target text) returns void language sql as $$
    insert into secret_search_doc (secret_id, doc)
    select secret_id, doc from secret_search_source where secret_id = target
    on conflict (secret_id) do update set doc = excluded.doc;
$$;

create function secret_search_on_secret() returns trigger language plpgsql as $$
begin
    perform secret_search_refresh(new.id);
    return null;
end;
$$;

create function secret_search_on_grant() returns trigger language plpgsql as $$
begin
    if tg_op = 'DELETE' then
        perform secret_search_refresh(old.secret_id);
    else
        perform secret_search_refresh(new.secret_id);
    end if;
    return null;
end;
$$;

create trigger secret_search_secret_insert after insert on secret
    for each row execute function secret_search_on_secret();
create trigger secret_search_secret_update after update of name, description on secret
    for each row when (old.name is distinct from new.name or old.description is distinct from new.description)
    execute function secret_search_on_secret();
create trigger secret_search_grant_change after insert or delete on secret_grant
    for each row execute function secret_search_on_grant();

insert into secret_search_doc (secret_id, doc) select secret_id, doc from secret_search_source;
