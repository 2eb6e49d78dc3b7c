-- Names sort the way people read them: api-key-2 before api-key-10 (issue 25; ADR 0025).
-- The key is domain::natural_order::natural_sort_key(name), compared byte for byte; the
-- server fills it for rows that predate this column when it starts.
alter table secret add column name_sort text collate "C";
drop index secret_model_sort_name_idx;
create index secret_model_name_sort_idx on secret (model_id, (coalesce(name_sort, '')), id);
