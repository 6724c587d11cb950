-- An event id is stored at most once per tenant, whatever else a resend changes. A unique index on the partitioned
-- log must hold its partitioning columns (occurred_at, category), so it could not say that; this ledger, one row per
-- stored event, can. It also finds an event by id without probing every partition, so the log's own event-id index
-- goes: each stored event costs one small ledger row instead of an index entry in its partition.
CREATE TABLE audit_event_ids (
    event_id    uuid        NOT NULL,
    tenant_id   uuid        NOT NULL,
    seq         bigint      NOT NULL,
    occurred_at timestamptz NOT NULL,
    category    text        NOT NULL,
    PRIMARY KEY (event_id, tenant_id)
);

SELECT set_config('app.all_tenants', 'on', true);
INSERT INTO audit_event_ids (event_id, tenant_id, seq, occurred_at, category)
SELECT DISTINCT ON (event_id, tenant_id) event_id, tenant_id, seq, occurred_at, category
FROM audit_events ORDER BY event_id, tenant_id, seq;

DROP INDEX audit_events_event_id;

ALTER TABLE audit_event_ids ENABLE ROW LEVEL SECURITY;
ALTER TABLE audit_event_ids FORCE ROW LEVEL SECURITY;
CREATE POLICY audit_event_ids_read   ON audit_event_ids FOR SELECT USING (audit_tenant_visible(tenant_id));
CREATE POLICY audit_event_ids_append ON audit_event_ids FOR INSERT WITH CHECK (audit_tenant_visible(tenant_id));
-- Only audit_drop_partition deletes here (the application role has no DELETE), for the events it drops.
CREATE POLICY audit_event_ids_expire ON audit_event_ids FOR DELETE USING (audit_tenant_visible(tenant_id));
GRANT SELECT, INSERT ON audit_event_ids TO ${app_role};

-- How long each category is kept, written by the owner from the service's configuration (Retention:Days) at
-- start-up and only readable by the application role: whatever the application role calls, with whatever
-- argument, it cannot drop what the configured retention still keeps. A category without a row is kept for ever.
CREATE TABLE retention_policies (
    category  text PRIMARY KEY,
    keep_days int  NOT NULL CHECK (keep_days >= 30)
);
INSERT INTO retention_policies (category, keep_days) VALUES ('audit', 2557), ('activity', 90);
GRANT SELECT ON retention_policies TO ${app_role};

-- The only way the application drops data. A partition goes only when (1) its whole range is past its category's
-- retention (and at least 30 days old, the oldest an accepted event may be), and (2) this same transaction has
-- written, for every tenant with events in it, the retention record of exactly what it holds (first and last
-- sequence number and count), which the service signs with a key the database never sees. Its events' ledger rows go
-- with it.
CREATE OR REPLACE FUNCTION audit_drop_partition(partition_name text) RETURNS void
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public AS $$
DECLARE
    p record;
    keep int;
    unrecorded uuid;
    caller_scope text := current_setting('app.all_tenants', true);
BEGIN
    -- Every tenant's rows, for this function only (row-level security is forced on the owner too); the caller's
    -- scope is put back before returning.
    PERFORM set_config('app.all_tenants', 'on', true);
    SELECT * INTO p FROM audit_partitions() ap WHERE ap.name = partition_name;
    IF NOT FOUND THEN
        RAISE EXCEPTION '% is not a partition of the audit log', partition_name;
    END IF;

    IF p.category IS NULL THEN
        -- A month made before categories were split holds both: it expires with the longer policy, if both have one.
        SELECT CASE WHEN count(*) = 2 THEN max(keep_days) END INTO keep
        FROM retention_policies WHERE category IN ('audit', 'activity');
    ELSE
        SELECT keep_days INTO keep FROM retention_policies WHERE category = p.category;
    END IF;

    IF keep IS NULL THEN
        RAISE EXCEPTION 'partition % has no retention policy: it is kept for ever', partition_name;
    END IF;

    IF p.range_to > now() - make_interval(days => greatest(keep, 30)) THEN
        RAISE EXCEPTION 'partition % is within its % day retention', partition_name, greatest(keep, 30);
    END IF;

    SELECT held.tenant_id INTO unrecorded
    FROM (SELECT e.tenant_id, min(e.seq) AS first_seq, max(e.seq) AS last_seq, count(*) AS n
          FROM audit_events e
          WHERE e.occurred_at >= p.range_from AND e.occurred_at < p.range_to AND (p.category IS NULL OR e.category = p.category)
          GROUP BY e.tenant_id) held
    WHERE NOT EXISTS (
        SELECT 1 FROM retention_records r
        WHERE r.partition_name = p.name AND r.tenant_id = held.tenant_id
          AND r.first_seq = held.first_seq AND r.last_seq = held.last_seq AND r.dropped_count = held.n
          AND r.xmin::text::bigint = pg_current_xact_id()::text::bigint % 4294967296)
    LIMIT 1;
    IF FOUND THEN
        RAISE EXCEPTION 'partition % holds events of tenant % without a retention record written in this transaction', partition_name, unrecorded;
    END IF;

    DELETE FROM audit_event_ids i
    WHERE i.occurred_at >= p.range_from AND i.occurred_at < p.range_to AND (p.category IS NULL OR i.category = p.category);
    EXECUTE format('DROP TABLE %I', partition_name);
    PERFORM set_config('app.all_tenants', coalesce(caller_scope, ''), true);
END
$$;
REVOKE ALL ON FUNCTION audit_drop_partition(text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION audit_drop_partition(text) TO ${app_role};

-- Two instances starting together both create the coming months: one at a time, or the second's CREATE fails on the
-- table the first just made (it checks first, but both checks can come before either CREATE).
ALTER FUNCTION audit_ensure_partitions(date, int) RENAME TO audit_ensure_partitions_unserialised;
REVOKE ALL ON FUNCTION audit_ensure_partitions_unserialised(date, int) FROM PUBLIC, ${app_role};
CREATE FUNCTION audit_ensure_partitions(from_month date, months int) RETURNS int
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public AS $$
BEGIN
    PERFORM pg_advisory_xact_lock(hashtext('audit_ensure_partitions'));
    RETURN audit_ensure_partitions_unserialised(from_month, months);
END
$$;
REVOKE ALL ON FUNCTION audit_ensure_partitions(date, int) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION audit_ensure_partitions(date, int) TO ${app_role};
