-- A token's id is never reused (issue 28): "token 7 revoked" in the audit log names one token.
-- Without AUTOINCREMENT SQLite gives a new row the highest id plus one, so deleting the newest
-- token handed its id to the next. The table is rebuilt with AUTOINCREMENT (nothing references
-- it, so nothing cascades), and its sequence starts past every id the table or the audit log
-- has named: a newest token already deleted is not reused either. The audit rows themselves are
-- not touched, so the chain stays as it was.
create table api_token_new (
    id integer primary key autoincrement,
    application_id integer references application (id) on delete cascade,
    user_id integer references app_user (id) on delete cascade,
    token_hash text not null constraint api_token_hash_key unique,
    label text not null default '',
    created_at integer not null,
    updated_at integer not null,
    constraint api_token_owner_check check ((application_id is null) <> (user_id is null))
);
insert into api_token_new (id, application_id, user_id, token_hash, label, created_at, updated_at)
    select id, application_id, user_id, token_hash, label, created_at, updated_at from api_token;
drop table api_token;
alter table api_token_new rename to api_token;
create index api_token_application_idx on api_token (application_id);

-- Every detail that names a token says "token N" (token-create, token-revoke); SQLite's cast
-- takes the number at the start of the rest.
delete from sqlite_sequence where name in ('api_token', 'api_token_new');
insert into sqlite_sequence (name, seq) values ('api_token', max(
    coalesce((select max(id) from api_token), 0),
    coalesce((select max(cast(substr(detail, instr(detail, 'token ') + 6) as integer))
              from audit_event where instr(detail, 'token ') > 0), 0)));
