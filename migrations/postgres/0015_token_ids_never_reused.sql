-- A token's id is never reused (issue 28). PostgreSQL's identity sequence never hands out an id
-- twice, so nothing changes here; the migration keeps both databases at the same version.
select 1;
