-- Checksums were a plain SHA-256 of the content, which gives short values away to anyone who
-- tries them all; they are now keyed per revision (HMAC). Rows written before this migration
-- are re-keyed once, at start-up, which sets the flag.
alter table secret_revision add column checksum_keyed integer not null default 0;
create index secret_revision_unkeyed_idx on secret_revision (secret_id, revision) where checksum_keyed = 0;
