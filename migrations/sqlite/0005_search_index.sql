-- Substring search over a secret's name, ID, description, owner and grantees, without a table
-- scan. Each secret has one search document (fields separated by newlines), kept current by
-- triggers, and a trigram full-text index over it. The document lives in an ordinary table with
-- an integer key because the index is keyed by integers and a secret's implicit rowid may change
-- on VACUUM.
create table secret_search_doc (
    id integer primary key,
    secret_id text not null constraint secret_search_doc_secret_key unique
        references secret (id) on delete cascade,
    doc text not null
);

create virtual table secret_search using fts5 (
    doc, content = 'secret_search_doc', content_rowid = 'id', tokenize = 'trigram'
);

-- The document as it should read now, for any secret.
create view secret_search_source as
select s.id as secret_id,
       coalesce(s.name, '') || char(10) || s.id || char(10) || s.description || char(10)
       || coalesce((select a.name from application a where a.id = s.owner_application_id), '<model>')
       || char(10)
       || coalesce((select group_concat(ga.name, char(10)) from secret_grant g
                    join application ga on ga.id = g.application_id where g.secret_id = s.id), '')
       as doc
from secret s;

-- The index follows the document table (the external-content pattern of the FTS5 manual).
create trigger secret_search_doc_insert after insert on secret_search_doc begin
    insert into secret_search (rowid, doc) values (new.id, new.doc);
end;
create trigger secret_search_doc_delete after delete on secret_search_doc begin
    insert into secret_search (secret_search, rowid, doc) values ('delete', old.id, old.doc);
end;
create trigger secret_search_doc_update after update on secret_search_doc begin
    insert into secret_search (secret_search, rowid, doc) values ('delete', old.id, old.doc);
    insert into secret_search (rowid, doc) values (new.id, new.doc);
end;

-- The document follows the secret and its grants.
create trigger secret_search_secret_insert after insert on secret begin
    insert into secret_search_doc (secret_id, doc)
    select secret_id, doc from secret_search_source where secret_id = new.id;
end;
create trigger secret_search_secret_update after update of name, description on secret
when old.name is not new.name or old.description is not new.description begin
    update secret_search_doc set doc = (select doc from secret_search_source where secret_id = new.id)
    where secret_id = new.id;
end;
create trigger secret_search_grant_insert after insert on secret_grant begin
    update secret_search_doc set doc = (select doc from secret_search_source where secret_id = new.secret_id)
    where secret_id = new.secret_id;
end;
create trigger secret_search_grant_delete after delete on secret_grant begin
    update secret_search_doc set doc = (select doc from secret_search_source where secret_id = old.secret_id)
    where secret_id = old.secret_id
      and exists (select 1 from secret where id = old.secret_id);
end;

insert into secret_search_doc (secret_id, doc) select secret_id, doc from secret_search_source;
