-- Each run of the retention job, written when it ends: what started it (start-up, schedule, a super admin's "run now"),
-- the partitions it dropped, how many entries of how many tenants, or why it failed. The Dashboard's Retention page reads
-- the latest. It names partitions and counts, no tenant's data, so it has no row-level security; the application role
-- only adds and reads rows.
CREATE TABLE retention_runs (
    id             uuid        PRIMARY KEY,
    trigger        text        NOT NULL CHECK (trigger IN ('start-up', 'schedule', 'manual')),
    requested_by   text,
    started_at     timestamptz NOT NULL,
    finished_at    timestamptz NOT NULL,
    partitions     text[]      NOT NULL,
    dropped_events bigint      NOT NULL,
    tenants        int         NOT NULL,
    error          text
);
CREATE INDEX retention_runs_started ON retention_runs (started_at DESC);

GRANT SELECT, INSERT ON retention_runs TO ${app_role};
