-- Requests and server errors (5xx) per minute, for GET /api/system/health: kept in the database, not in process
-- memory, so the last hour's counts survive an Api restart and add up across replicas (each adds its own share).
-- No tenant data: no row-level security (like signing_keys). Rows older than two hours are deleted by the Api.
CREATE TABLE request_counts (
    minute   timestamptz PRIMARY KEY,
    requests bigint NOT NULL CHECK (requests >= 0),
    errors   bigint NOT NULL CHECK (errors >= 0)
);

GRANT SELECT, INSERT, UPDATE, DELETE ON request_counts TO ${app_role};
