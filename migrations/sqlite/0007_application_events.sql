-- What applications are told (issue 13): one row per application and event, written in the
-- transaction that made the change. Sequence numbers come from the counter row, moved in the same
-- transaction, so commit order is sequence order and a number is never reused after pruning.
create table app_event (
    seq integer primary key,
    application_id integer not null references application (id) on delete cascade,
    kind text not null constraint app_event_kind_check
        check (kind in ('secret-changed', 'access-revoked', 'secret-removed', 'secret-rotate',
            'secret-expired', 'revision-obsolete')),
    -- No foreign key: `secret-removed` outlives its secret.
    secret_id text not null,
    -- The revision a `secret-expired` or `revision-obsolete` is about.
    revision integer,
    at integer not null
);
create index app_event_application_idx on app_event (application_id, seq);
create index app_event_at_idx on app_event (at);

-- When the owner was last told that this revision expired: told again every few minutes until
-- the revision is removed or a newer one made.
alter table secret_revision add column expire_notice_at integer;

-- The event counter when the application last moved its tracking: a `secret-changed` after it
-- that is still waiting is enough, so later revisions write no more (they collapse into it).
alter table secret_consumer add column event_floor integer not null default 0;

create table app_event_counter (
    id integer primary key constraint app_event_counter_single_check check (id = 1),
    seq integer not null,
    -- Events up to this number may have been pruned: a cursor behind it must resynchronise.
    pruned_through integer not null
);
insert into app_event_counter (id, seq, pruned_through) values (1, 0, 0);

-- The counter follows the events inside the database: no statement of its own on each write.
create trigger app_event_moves_counter after insert on app_event
begin
    update app_event_counter set seq = max(seq, new.seq) where id = 1;
end;
