-- The agent pipeline's durable queue, the LLM calls it makes, their daily cost rollups and the
-- spend-cap thresholds crossed each month. The application role reads and writes rows only.

-- One row per activity is both the work item and the queue entry: workers claim a ready row with
-- FOR UPDATE SKIP LOCKED and hold it under a lease; a row whose lease ran out is claimable again.
CREATE TABLE activities (
    id              uuid PRIMARY KEY,
    tenant_id       uuid        NOT NULL REFERENCES tenants (id),
    kind            text        NOT NULL,
    input           text        NOT NULL,
    status          text        NOT NULL CHECK (status IN ('queued', 'running', 'awaiting_approval', 'completed', 'rejected', 'dead_letter')),
    stage_index     int         NOT NULL DEFAULT 0,
    attempts        int         NOT NULL DEFAULT 0,
    available_at    timestamptz NOT NULL DEFAULT now(),
    lease_token     uuid,
    lease_until     timestamptz,
    leased_by       text,
    traceparent     text,
    trace_id        text,
    created_by      text        NOT NULL,
    created_by_name text,
    output          text,
    last_error      text,
    decided_by      text,
    decision_note   text,
    created_at      timestamptz NOT NULL DEFAULT now(),
    updated_at      timestamptz NOT NULL DEFAULT now(),
    completed_at    timestamptz
);
CREATE INDEX activities_claimable ON activities (available_at) WHERE status IN ('queued', 'running');
CREATE INDEX activities_tenant ON activities (tenant_id, created_at DESC);
CREATE INDEX activities_status ON activities (status);

-- Every attempt at a stage, in order: the activity's timeline.
CREATE TABLE activity_stages (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    activity_id uuid        NOT NULL REFERENCES activities (id),
    tenant_id   uuid        NOT NULL,
    stage       text        NOT NULL,
    agent_role  text        NOT NULL,
    attempt     int         NOT NULL,
    worker      text        NOT NULL,
    started_at  timestamptz NOT NULL DEFAULT now(),
    finished_at timestamptz,
    outcome     text CHECK (outcome IN ('succeeded', 'failed', 'refused_cap', 'abandoned')),
    error       text,
    output      text
);
CREATE INDEX activity_stages_activity ON activity_stages (activity_id, id);
CREATE INDEX activity_stages_started ON activity_stages (started_at);

-- One row per LLM call (kept Llm:CallRetention, 180 days by default).
CREATE TABLE llm_calls (
    id                  uuid PRIMARY KEY,
    tenant_id           uuid          NOT NULL,
    activity_id         uuid,
    stage               text,
    actor_type          text          NOT NULL CHECK (actor_type IN ('user', 'agent')),
    actor               text          NOT NULL,
    provider            text          NOT NULL,
    model               text          NOT NULL,
    input_tokens        bigint        NOT NULL DEFAULT 0,
    cached_input_tokens bigint        NOT NULL DEFAULT 0,
    output_tokens       bigint        NOT NULL DEFAULT 0,
    cost_usd            numeric(20,10) NOT NULL DEFAULT 0,
    latency_ms          double precision NOT NULL DEFAULT 0,
    outcome             text          NOT NULL CHECK (outcome IN ('success', 'error', 'refused_cap')),
    error               text,
    input_sha256        text          NOT NULL,
    output_preview      text,
    trace_id            text,
    created_at          timestamptz   NOT NULL DEFAULT now()
);
CREATE INDEX llm_calls_created ON llm_calls (created_at);
CREATE INDEX llm_calls_activity ON llm_calls (activity_id) WHERE activity_id IS NOT NULL;
CREATE INDEX llm_calls_input ON llm_calls (tenant_id, input_sha256);

-- Daily rollups, kept for good: the source of monthly spend and the usage reports.
CREATE TABLE llm_usage_daily (
    day                 date           NOT NULL,
    tenant_id           uuid           NOT NULL,
    provider            text           NOT NULL,
    model               text           NOT NULL,
    calls               bigint         NOT NULL DEFAULT 0,
    failed_calls        bigint         NOT NULL DEFAULT 0,
    refused_calls       bigint         NOT NULL DEFAULT 0,
    input_tokens        bigint         NOT NULL DEFAULT 0,
    cached_input_tokens bigint         NOT NULL DEFAULT 0,
    output_tokens       bigint         NOT NULL DEFAULT 0,
    cost_usd            numeric(20,10) NOT NULL DEFAULT 0,
    PRIMARY KEY (tenant_id, day, provider, model)
);

-- A threshold (80, 95, 100 %) is announced once per tenant and month.
CREATE TABLE spend_cap_crossings (
    tenant_id  uuid        NOT NULL,
    month      date        NOT NULL,
    threshold  int         NOT NULL,
    crossed_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, month, threshold)
);

GRANT SELECT, INSERT, UPDATE ON activities, activity_stages, llm_usage_daily TO ${app_role};
GRANT SELECT, INSERT, DELETE ON llm_calls TO ${app_role};
GRANT SELECT, INSERT ON spend_cap_crossings TO ${app_role};
