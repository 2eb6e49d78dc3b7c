-- The audit group commit in one round trip (issue 28; docs/adr/0031). The node chains the
-- group's events from the head it expects, and sends them with the point up to which it has
-- followed `cache_change` and the applications and secrets its remembered reads relied on.
-- One statement, outside any transaction, takes the write lock, and appends the events only
-- if the head is the one expected and no change after that point names what a remembered read
-- relied on (or everything). Either way it answers the head and the changes after that point,
-- so the node follows them, and otherwise tries again from there. Run in a statement after the
-- lock is taken, the change lookup sees every write committed before, as the group commit's
-- own transaction did (docs/adr/0028).
create function audit_group_append(
    expected_seq bigint, expected_hash text, followed bigint,
    relied_applications bigint[], relied_secrets text[],
    seqs bigint[], ats bigint[], actor_kinds text[], actor_names text[], model_uuids text[],
    secret_ids text[], revisions bigint[], actions text[], outcomes text[], sources text[],
    details text[], prev_hashes text[], hashes text[])
returns table (appended boolean, head_seq bigint, head_hash text,
               change_seq bigint, change_application bigint, change_secret text)
language plpgsql
-- Planned once per connection: a custom plan for `seq > followed` is the same index scan,
-- planned again at every call.
set plan_cache_mode = force_generic_plan
as $$
declare
    h_seq bigint;
    h_hash text;
    ok boolean;
begin
    -- The key of `take_the_write_lock!` (backend/src/store/postgres.rs).
    perform pg_advisory_xact_lock(6004514703760900696);
    select h.seq, h.hash into h_seq, h_hash from audit_head h where h.id = 1 for update;
    ok := h_seq is not distinct from expected_seq and h_hash is not distinct from expected_hash
        and not exists (
            select 1 from cache_change c
            where c.seq > followed
              and (c.application_id = any(relied_applications)
                   or c.secret_id = any(relied_secrets)
                   or (c.application_id is null and c.secret_id is null)));
    if ok and cardinality(seqs) > 0 then
        insert into audit_event (seq, at, actor_kind, actor_name, model_uuid, secret_id, revision,
                                 action, outcome, source, detail, prev_hash, hash)
        select * from unnest(seqs, ats, actor_kinds, actor_names, model_uuids, secret_ids,
                             revisions, actions, outcomes, sources, details, prev_hashes, hashes);
    end if;
    return query
        select ok, h_seq, h_hash, c.seq, c.application_id, c.secret_id
        from (select 1) one left join cache_change c on c.seq > followed
        order by c.seq;
end;
$$;
