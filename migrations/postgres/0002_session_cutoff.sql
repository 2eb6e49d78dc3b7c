-- Sessions that began before this time (ms since the epoch) are over: "end this user's sessions".
alter table app_user add column sessions_valid_after bigint not null default 0;
