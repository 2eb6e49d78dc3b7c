-- The access review at the bench's scale, second step (issue 25; ADR 0024).
-- 1. "Behind since" is the creation time of the first revision after the tracked one: found by
--    the revision key, not by scanning every later revision (0011's min(created_at) made each
--    update of a much-updated secret slower than the last).
-- 2. A grant's last_read_at moves at most once a minute (and at once from never read): the
--    review's flags count in days, and the exact time shown comes from grant_usage. A group
--    commit of reads then rarely writes secret_grant and its index.
-- 3. Grants, grants read and grants behind per application, kept by triggers, so the review's
--    unfiltered counts need no pass over the model's grants. Only "stale" depends on the time;
--    it is counted from secret_grant_review_idx ranges.
create or replace function grant_usage_moves_last_read() returns trigger language plpgsql as $$
begin
    update secret_grant set last_read_at = new.last_read_at
    where secret_id = new.secret_id and application_id = new.application_id
      and (last_read_at is null or last_read_at < new.last_read_at - 60000);
    return null;
end;
$$;

create or replace function revision_behind_since(secret text, tracked bigint) returns bigint
language sql stable as $$
    select case when tracked < s.latest_revision then coalesce(
        (select r.created_at from secret_revision r
         where r.secret_id = s.id and r.revision > tracked
         order by r.revision limit 1), s.updated_at) end
    from secret s where s.id = secret
$$;

create table review_tally (
    application_id bigint primary key references application (id) on delete cascade,
    grants bigint not null,
    read_grants bigint not null,
    behind bigint not null
);
insert into review_tally (application_id, grants, read_grants, behind)
select application_id, count(*), count(last_read_at), count(behind_since)
from secret_grant group by application_id;

create function secret_grant_tallies() returns trigger language plpgsql as $$
begin
    if tg_op = 'INSERT' then
        insert into review_tally (application_id, grants, read_grants, behind)
        values (new.application_id, 1, (new.last_read_at is not null)::int,
                (new.behind_since is not null)::int)
        on conflict (application_id) do update set grants = review_tally.grants + 1,
            read_grants = review_tally.read_grants + excluded.read_grants, behind = review_tally.behind + excluded.behind;
    elsif tg_op = 'DELETE' then
        update review_tally set grants = grants - 1,
            read_grants = read_grants - (old.last_read_at is not null)::int,
            behind = behind - (old.behind_since is not null)::int
        where application_id = old.application_id;
    elsif (old.last_read_at is null) <> (new.last_read_at is null)
       or (old.behind_since is null) <> (new.behind_since is null) then
        -- Only a change between null and not null moves a tally.
        update review_tally set
            read_grants = read_grants + (new.last_read_at is not null)::int - (old.last_read_at is not null)::int,
            behind = behind + (new.behind_since is not null)::int - (old.behind_since is not null)::int
        where application_id = new.application_id;
    end if;
    return null;
end;
$$;
create trigger secret_grant_tallies after insert or delete or update of last_read_at, behind_since
    on secret_grant for each row execute function secret_grant_tallies();
