-- Retention drops whole partitions, so a month must be droppable per category: every month created
-- from now on is itself list-partitioned by category (audit_events_YYYY_MM_audit, ..._activity).
-- Months created by 0001 stay single tables holding both categories; retention drops those only
-- when the longest policy has expired.
-- A unique key on a partitioned table must hold every partitioning column, category included now.
-- The chain's own checks (seq per tenant, event id) stay with the writer and the verifier.
ALTER TABLE audit_events DROP CONSTRAINT audit_events_pkey;
ALTER TABLE audit_events ADD PRIMARY KEY (tenant_id, seq, occurred_at, category);
DROP INDEX audit_events_event_id;
CREATE UNIQUE INDEX audit_events_event_id ON audit_events (event_id, occurred_at, category);

CREATE OR REPLACE FUNCTION audit_ensure_partitions(from_month date, months int) RETURNS int
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public AS $$
DECLARE
    created int := 0;
    m date;
    month_name text;
    leaf text;
    category text;
BEGIN
    FOR i IN 0 .. months - 1 LOOP
        m := (date_trunc('month', from_month) + make_interval(months => i))::date;
        month_name := format('audit_events_%s', to_char(m, 'YYYY_MM'));
        IF to_regclass(month_name) IS NULL THEN
            EXECUTE format('CREATE TABLE %I PARTITION OF audit_events FOR VALUES FROM (%L) TO (%L) PARTITION BY LIST (category)',
                           month_name, m, (m + interval '1 month')::date);
            EXECUTE format('ALTER TABLE %I ENABLE ROW LEVEL SECURITY', month_name);
            EXECUTE format('ALTER TABLE %I FORCE ROW LEVEL SECURITY', month_name);
            FOREACH category IN ARRAY ARRAY['audit', 'activity'] LOOP
                leaf := month_name || '_' || category;
                EXECUTE format('CREATE TABLE %I PARTITION OF %I FOR VALUES IN (%L)', leaf, month_name, category);
                EXECUTE format('ALTER TABLE %I ENABLE ROW LEVEL SECURITY', leaf);
                EXECUTE format('ALTER TABLE %I FORCE ROW LEVEL SECURITY', leaf);
            END LOOP;
            created := created + 1;
        END IF;
    END LOOP;
    RETURN created;
END
$$;

-- Every droppable partition: a category leaf of a month, or a whole month made before 0002 (category null).
CREATE FUNCTION audit_partitions() RETURNS TABLE (name text, category text, range_from timestamptz, range_to timestamptz)
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public AS $$
    SELECT leaf.relname::text,
           substring(pg_get_expr(leaf.relpartbound, leaf.oid) FROM $re$IN \('([a-z_]+)'\)$re$),
           lower_bound, upper_bound
    FROM (
        SELECT m.oid, m.relkind,
               (regexp_match(pg_get_expr(m.relpartbound, m.oid), $re$FROM \('([^']+)'\) TO \('([^']+)'\)$re$))[1]::timestamptz AS lower_bound,
               (regexp_match(pg_get_expr(m.relpartbound, m.oid), $re$FROM \('([^']+)'\) TO \('([^']+)'\)$re$))[2]::timestamptz AS upper_bound
        FROM pg_inherits i JOIN pg_class m ON m.oid = i.inhrelid
        WHERE i.inhparent = 'audit_events'::regclass
    ) month
    JOIN LATERAL (
        SELECT c.oid, c.relname, c.relpartbound FROM pg_inherits i2 JOIN pg_class c ON c.oid = i2.inhrelid
        WHERE i2.inhparent = month.oid AND month.relkind = 'p'
        UNION ALL
        SELECT c.oid, c.relname, NULL FROM pg_class c WHERE c.oid = month.oid AND month.relkind = 'r'
    ) leaf ON true
$$;

-- The only way the application drops data: a whole partition of the log, ended at least 30 days ago
-- (the oldest an accepted event may be), so that nothing still being written is ever dropped.
CREATE FUNCTION audit_drop_partition(partition_name text) RETURNS void
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public AS $$
DECLARE
    upper_bound timestamptz;
BEGIN
    SELECT p.range_to INTO upper_bound FROM audit_partitions() p WHERE p.name = partition_name;
    IF upper_bound IS NULL THEN
        RAISE EXCEPTION '% is not a partition of the audit log', partition_name;
    END IF;
    IF upper_bound > now() - interval '30 days' THEN
        RAISE EXCEPTION 'partition % may still receive events', partition_name;
    END IF;
    EXECUTE format('DROP TABLE %I', partition_name);
END
$$;
REVOKE ALL ON FUNCTION audit_drop_partition(text) FROM PUBLIC;

-- What retention dropped, per tenant, signed with a key the database never sees: the verifier accepts
-- a gap in a chain only where a record with a valid signature covers it.
CREATE TABLE retention_records (
    id             uuid        NOT NULL,
    tenant_id      uuid        NOT NULL,
    partition_name text        NOT NULL,
    category       text,
    range_from     timestamptz NOT NULL,
    range_to       timestamptz NOT NULL,
    first_seq      bigint      NOT NULL,
    last_seq       bigint      NOT NULL,
    dropped_count  bigint      NOT NULL,
    last_hash      bytea       NOT NULL,
    dropped_at     timestamptz NOT NULL,
    signature      bytea       NOT NULL,
    PRIMARY KEY (tenant_id, id)
);

-- Signed chain heads at a fixed interval; exported copies kept elsewhere detect a rewritten tail.
CREATE TABLE chain_checkpoints (
    tenant_id uuid        NOT NULL,
    seq       bigint      NOT NULL,
    hash      bytea       NOT NULL,
    signed_at timestamptz NOT NULL,
    signature bytea       NOT NULL,
    PRIMARY KEY (tenant_id, seq)
);

ALTER TABLE retention_records ENABLE ROW LEVEL SECURITY;
ALTER TABLE retention_records FORCE ROW LEVEL SECURITY;
CREATE POLICY retention_records_read   ON retention_records FOR SELECT USING (audit_tenant_visible(tenant_id));
CREATE POLICY retention_records_append ON retention_records FOR INSERT WITH CHECK (audit_tenant_visible(tenant_id));

ALTER TABLE chain_checkpoints ENABLE ROW LEVEL SECURITY;
ALTER TABLE chain_checkpoints FORCE ROW LEVEL SECURITY;
CREATE POLICY chain_checkpoints_read   ON chain_checkpoints FOR SELECT USING (audit_tenant_visible(tenant_id));
CREATE POLICY chain_checkpoints_append ON chain_checkpoints FOR INSERT WITH CHECK (audit_tenant_visible(tenant_id));

-- Newest-first pages across tenants (support, super admin) and the keyset cursor's order.
CREATE INDEX audit_events_time ON audit_events (occurred_at DESC, seq DESC, tenant_id DESC);

GRANT SELECT, INSERT ON retention_records, chain_checkpoints TO ${app_role};
GRANT EXECUTE ON FUNCTION audit_partitions() TO ${app_role};
GRANT EXECUTE ON FUNCTION audit_drop_partition(text) TO ${app_role};
