-- Failed sign-ins per user name, kept in the database so that every node enforces one back-off
-- (docs/security.md). The name is stored only as a SHA-256, so a mistyped password in the name
-- field is not kept.
create table login_throttle (
    name_hash text primary key,
    failures bigint not null,
    blocked_until bigint not null,
    last_failure bigint not null
);
create index login_throttle_last_failure_idx on login_throttle (last_failure);
