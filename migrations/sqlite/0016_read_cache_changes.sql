-- PostgreSQL's migration 0016 records what other nodes' read caches must forget. One SQLite
-- file has one server, whose cache forgets everything at each write (docs/adr/0017); this keeps
-- both databases at the same version.
select 1;
