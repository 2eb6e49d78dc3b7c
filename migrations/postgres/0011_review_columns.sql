-- The access review at scale (issue 25; ADR 0024): each grant carries what its flags depend
-- on, so a page of the review and its flag counts read one index instead of joining usage,
-- consumers and revisions for every grant of the model.
--   last_read_at  the latest read of the secret by the application (grant_usage's maximum)
--   behind_since  set while the application tracks an older revision than the latest: when
--                 the first revision after the tracked one was made
-- Triggers keep both: every path that counts a read, moves tracking or adds a revision goes
-- through these tables, so no path can forget to.
alter table secret_grant add column last_read_at bigint;
alter table secret_grant add column behind_since bigint;

update secret_grant g set last_read_at = (
    select max(u.last_read_at) from grant_usage u
    where u.application_id = g.application_id and u.secret_id = g.secret_id);
update secret_grant g set behind_since = (
    select case when c.current_revision < s.latest_revision then coalesce(
        (select min(r.created_at) from secret_revision r
         where r.secret_id = s.id and r.revision > c.current_revision), s.updated_at) end
    from secret_consumer c join secret s on s.id = c.secret_id
    where c.secret_id = g.secret_id and c.application_id = g.application_id);

drop index secret_grant_application_idx;
create index secret_grant_review_idx
    on secret_grant (application_id, last_read_at, granted_at, behind_since);

create function grant_usage_moves_last_read() returns trigger language plpgsql as $$
begin
    update secret_grant set last_read_at = new.last_read_at
    where secret_id = new.secret_id and application_id = new.application_id
      and (last_read_at is null or last_read_at < new.last_read_at);
    return null;
end;
$$;
create trigger grant_usage_moves_last_read after insert or update on grant_usage
    for each row execute function grant_usage_moves_last_read();

-- When the first revision after `tracked` was made, or null when `tracked` is the latest.
create function revision_behind_since(secret text, tracked bigint) returns bigint
language sql stable as $$
    select case when tracked < s.latest_revision then coalesce(
        (select min(r.created_at) from secret_revision r
         where r.secret_id = s.id and r.revision > tracked), s.updated_at) end
    from secret s where s.id = secret
$$;

-- A new latest revision puts every consumer tracking an older one behind (the revision row
-- may be written after the secret's, hence the fallback to the secret's update time).
create function secret_latest_moves_behind() returns trigger language plpgsql as $$
begin
    update secret_grant g set behind_since = (
        select revision_behind_since(new.id, c.current_revision) from secret_consumer c
        where c.secret_id = new.id and c.application_id = g.application_id)
    where g.secret_id = new.id;
    return null;
end;
$$;
create trigger secret_latest_moves_behind after update of latest_revision on secret
    for each row when (new.latest_revision is distinct from old.latest_revision)
    execute function secret_latest_moves_behind();

create function secret_consumer_moves_behind() returns trigger language plpgsql as $$
begin
    if tg_op = 'DELETE' then
        update secret_grant set behind_since = null
        where secret_id = old.secret_id and application_id = old.application_id;
    else
        update secret_grant set behind_since = revision_behind_since(new.secret_id, new.current_revision)
        where secret_id = new.secret_id and application_id = new.application_id;
    end if;
    return null;
end;
$$;
create trigger secret_consumer_moves_behind after insert or update of current_revision or delete
    on secret_consumer for each row execute function secret_consumer_moves_behind();
