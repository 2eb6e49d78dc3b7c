-- The audit head follows each appended event inside the database. The store used to move it
-- with a statement of its own, one more round trip on every audited write (ADR 0011). Events are
-- appended in sequence order, so the last row inserted is the head.
create function audit_event_moves_head() returns trigger language plpgsql as $$
begin
    insert into audit_head (id, seq, hash) values (1, new.seq, new.hash)
    on conflict (id) do update set seq = excluded.seq, hash = excluded.hash;
    return null;
end;
$$;

create trigger audit_event_moves_head after insert on audit_event
    for each row execute function audit_event_moves_head();
