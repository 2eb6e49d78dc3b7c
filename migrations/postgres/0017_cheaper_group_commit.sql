-- PostgreSQL's CPU in the mixed workload (issue 28; measured with pg_stat_statements, ADR 0028):
-- 1. The audit head moved once per appended event, a row trigger each running an upsert: about
--    a tenth of PostgreSQL's CPU, as every application read appends an event. One statement
--    appends a whole group, so the head now moves once per statement, from its last row.
-- 2. `revision_behind_since` was a SQL function that PostgreSQL cannot inline where it is used,
--    so it planned its query on every call (about 0.2 ms of each update). In PL/pgSQL the plan
--    is kept for the connection.
create function audit_events_move_head() returns trigger language plpgsql as $$
begin
    insert into audit_head (id, seq, hash)
    select 1, seq, hash from appended order by seq desc limit 1
    on conflict (id) do update set seq = excluded.seq, hash = excluded.hash;
    return null;
end;
$$;
drop trigger audit_event_moves_head on audit_event;
drop function audit_event_moves_head();
create trigger audit_events_move_head after insert on audit_event
    referencing new table as appended for each statement execute function audit_events_move_head();

create or replace function revision_behind_since(secret text, tracked bigint) returns bigint
language plpgsql stable as $$
begin
    return (select case when tracked < s.latest_revision then coalesce(
        (select r.created_at from secret_revision r
         where r.secret_id = s.id and r.revision > tracked
         order by r.revision limit 1), s.updated_at) end
    from secret s where s.id = secret);
end;
$$;
