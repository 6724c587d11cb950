-- The audit log: append-only, partitioned by month, hash-chained per tenant, readable only within
-- the tenant scope the application sets for its transaction. The owner of these objects is the
-- migrating role; the application role (${app_role}) gets only what it needs.

CREATE TABLE audit_events (
    tenant_id      uuid        NOT NULL,
    seq            bigint      NOT NULL,
    event_id       uuid        NOT NULL,
    occurred_at    timestamptz NOT NULL,
    recorded_at    timestamptz NOT NULL,
    actor_type     text        NOT NULL,
    actor_id       text        NOT NULL,
    actor_name     text,
    actor_email    text,
    action         text        NOT NULL,
    category       text        NOT NULL,
    severity       text        NOT NULL,
    resource_type  text,
    resource_id    text,
    resource_name  text,
    description    text,
    before_state   jsonb,
    after_state    jsonb,
    metadata       jsonb,
    error_message  text,
    error_stack    text,
    ip_address     inet,
    user_agent     text,
    trace_id       text,
    span_id        text,
    source_service text,
    prev_hash      bytea       NOT NULL,
    hash           bytea       NOT NULL,
    PRIMARY KEY (tenant_id, seq, occurred_at)
) PARTITION BY RANGE (occurred_at);

-- The query patterns of the read API: tenant + time, tenant + action + time, tenant + actor + time,
-- tenant + resource; event_id serves idempotency and look-up by id.
CREATE INDEX audit_events_tenant_time     ON audit_events (tenant_id, occurred_at DESC, seq DESC);
CREATE INDEX audit_events_tenant_action   ON audit_events (tenant_id, action text_pattern_ops, occurred_at DESC);
CREATE INDEX audit_events_tenant_actor    ON audit_events (tenant_id, actor_id, occurred_at DESC);
CREATE INDEX audit_events_tenant_resource ON audit_events (tenant_id, resource_type, resource_id, occurred_at DESC);
CREATE UNIQUE INDEX audit_events_event_id ON audit_events (event_id, occurred_at);

-- The head of each tenant's chain; the writer locks a tenant's row so concurrent writers never fork it.
CREATE TABLE tenant_chains (
    tenant_id uuid PRIMARY KEY,
    last_seq  bigint NOT NULL,
    last_hash bytea  NOT NULL
);

CREATE TABLE api_keys (
    id          uuid PRIMARY KEY,
    name        text        NOT NULL,
    prefix      text        NOT NULL UNIQUE,
    secret_hash bytea       NOT NULL,
    scope       text        NOT NULL CHECK (scope IN ('tenant', 'platform')),
    tenant_id   uuid,
    permissions text[]      NOT NULL,
    created_at  timestamptz NOT NULL DEFAULT now(),
    revoked_at  timestamptz,
    CHECK ((scope = 'tenant') = (tenant_id IS NOT NULL))
);

-- Tenant scope for row-level security: app.tenant_ids is a comma-separated list set with
-- set_config(..., true) for one transaction; app.all_tenants = 'on' is the platform scope.
-- With neither set, every policy is false and a query sees nothing.
CREATE FUNCTION audit_tenant_visible(tenant uuid) RETURNS boolean
LANGUAGE sql STABLE AS $$
    SELECT coalesce(current_setting('app.all_tenants', true), '') = 'on'
        OR tenant = ANY (string_to_array(nullif(current_setting('app.tenant_ids', true), ''), ',')::uuid[])
$$;

ALTER TABLE audit_events ENABLE ROW LEVEL SECURITY;
ALTER TABLE audit_events FORCE ROW LEVEL SECURITY;
CREATE POLICY audit_events_read   ON audit_events FOR SELECT USING (audit_tenant_visible(tenant_id));
CREATE POLICY audit_events_append ON audit_events FOR INSERT WITH CHECK (audit_tenant_visible(tenant_id));

ALTER TABLE tenant_chains ENABLE ROW LEVEL SECURITY;
ALTER TABLE tenant_chains FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_chains_scope ON tenant_chains USING (audit_tenant_visible(tenant_id)) WITH CHECK (audit_tenant_visible(tenant_id));

-- Partitions are created ahead of time by the service through this function, which runs with the
-- owner's rights so that the application role itself never needs CREATE.
CREATE FUNCTION audit_ensure_partitions(from_month date, months int) RETURNS int
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public AS $$
DECLARE
    created int := 0;
    m date;
    name text;
BEGIN
    FOR i IN 0 .. months - 1 LOOP
        m := (date_trunc('month', from_month) + make_interval(months => i))::date;
        name := format('audit_events_%s', to_char(m, 'YYYY_MM'));
        IF to_regclass(name) IS NULL THEN
            EXECUTE format('CREATE TABLE %I PARTITION OF audit_events FOR VALUES FROM (%L) TO (%L)',
                           name, m, (m + interval '1 month')::date);
            EXECUTE format('ALTER TABLE %I ENABLE ROW LEVEL SECURITY', name);
            EXECUTE format('ALTER TABLE %I FORCE ROW LEVEL SECURITY', name);
            created := created + 1;
        END IF;
    END LOOP;
    RETURN created;
END
$$;
REVOKE ALL ON FUNCTION audit_ensure_partitions(date, int) FROM PUBLIC;

-- Least privilege: append and read, never UPDATE, DELETE or TRUNCATE on the log.
GRANT USAGE ON SCHEMA public TO ${app_role};
GRANT SELECT, INSERT ON audit_events TO ${app_role};
GRANT SELECT, INSERT, UPDATE ON tenant_chains TO ${app_role};
GRANT SELECT, INSERT, UPDATE ON api_keys TO ${app_role};
GRANT EXECUTE ON FUNCTION audit_ensure_partitions(date, int) TO ${app_role};
GRANT EXECUTE ON FUNCTION audit_tenant_visible(uuid) TO ${app_role};
