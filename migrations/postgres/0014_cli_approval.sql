-- `strongbox login URL --web` (issue 26): a command line waiting for a person to approve it in
-- the dashboard. The CLI holds a secret (only its SHA-256 is here) with which it collects a
-- personal token once the person approved; the short code is what both screens show. Ten
-- minutes, one use: the row goes when the token is collected.
create table cli_approval (
    poll_hash text primary key,
    user_code text not null constraint cli_approval_code_key unique,
    label text not null,
    created_at bigint not null,
    decision text not null default 'pending' constraint cli_approval_decision_check check (decision in ('pending', 'approved', 'denied')),
    user_id bigint references app_user (id) on delete cascade
);
create index cli_approval_created_idx on cli_approval (created_at);
