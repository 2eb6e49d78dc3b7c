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
drop trigger grant_usage_inserted_moves_last_read;
drop trigger grant_usage_updated_moves_last_read;
create trigger grant_usage_inserted_moves_last_read after insert on grant_usage begin
    update secret_grant set last_read_at = new.last_read_at
    where secret_id = new.secret_id and application_id = new.application_id
      and (last_read_at is null or last_read_at < new.last_read_at - 60000);
end;
create trigger grant_usage_updated_moves_last_read after update on grant_usage begin
    update secret_grant set last_read_at = new.last_read_at
    where secret_id = new.secret_id and application_id = new.application_id
      and (last_read_at is null or last_read_at < new.last_read_at - 60000);
end;

drop trigger secret_latest_moves_behind;
drop trigger secret_consumer_inserted_moves_behind;
drop trigger secret_consumer_updated_moves_behind;

create trigger secret_latest_moves_behind after update of latest_revision on secret
when new.latest_revision <> old.latest_revision begin
    update secret_grant set behind_since = (
        select case when c.current_revision < new.latest_revision then coalesce(
            (select r.created_at from secret_revision r
             where r.secret_id = new.id and r.revision > c.current_revision
             order by r.revision limit 1), new.updated_at) end
        from secret_consumer c
        where c.secret_id = new.id and c.application_id = secret_grant.application_id)
    where secret_id = new.id;
end;
create trigger secret_consumer_inserted_moves_behind after insert on secret_consumer begin
    update secret_grant set behind_since = (
        select case when new.current_revision < s.latest_revision then coalesce(
            (select r.created_at from secret_revision r
             where r.secret_id = s.id and r.revision > new.current_revision
             order by r.revision limit 1), s.updated_at) end
        from secret s where s.id = new.secret_id)
    where secret_id = new.secret_id and application_id = new.application_id;
end;
create trigger secret_consumer_updated_moves_behind after update of current_revision on secret_consumer begin
    update secret_grant set behind_since = (
        select case when new.current_revision < s.latest_revision then coalesce(
            (select r.created_at from secret_revision r
             where r.secret_id = s.id and r.revision > new.current_revision
             order by r.revision limit 1), s.updated_at) end
        from secret s where s.id = new.secret_id)
    where secret_id = new.secret_id and application_id = new.application_id;
end;

create table review_tally (
    application_id integer primary key references application (id) on delete cascade,
    grants integer not null,
    read_grants integer not null,
    behind integer not null
);
insert into review_tally (application_id, grants, read_grants, behind)
select application_id, count(*), count(last_read_at), count(behind_since)
from secret_grant group by application_id;

create trigger secret_grant_inserted_tallies after insert on secret_grant begin
    insert or ignore into review_tally (application_id, grants, read_grants, behind)
    values (new.application_id, 0, 0, 0);
    update review_tally set grants = grants + 1,
        read_grants = read_grants + (new.last_read_at is not null),
        behind = behind + (new.behind_since is not null)
    where application_id = new.application_id;
end;
create trigger secret_grant_deleted_tallies after delete on secret_grant begin
    update review_tally set grants = grants - 1,
        read_grants = read_grants - (old.last_read_at is not null),
        behind = behind - (old.behind_since is not null)
    where application_id = old.application_id;
end;
-- Only a change between null and not null moves a tally: a later read of a read grant does not.
create trigger secret_grant_updated_tallies after update of last_read_at, behind_since on secret_grant
when (old.last_read_at is null) <> (new.last_read_at is null)
  or (old.behind_since is null) <> (new.behind_since is null) begin
    update review_tally set
        read_grants = read_grants + (new.last_read_at is not null) - (old.last_read_at is not null),
        behind = behind + (new.behind_since is not null) - (old.behind_since is not null)
    where application_id = new.application_id;
end;
