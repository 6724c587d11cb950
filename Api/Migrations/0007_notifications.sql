-- In-app notifications: each firing or resolved alert that Alertmanager delivers to the Api's webhook. A notification
-- naming a tenant (tenant_id) is for that tenant's admins and the super admins; one without is for super admins only.
CREATE TABLE notifications (
    id          uuid PRIMARY KEY,
    tenant_id   uuid REFERENCES tenants (id) ON DELETE CASCADE,
    alert_name  text        NOT NULL,
    -- Alertmanager's fingerprint of the alert's labels: the same alert firing again keeps it.
    fingerprint text        NOT NULL,
    status      text        NOT NULL CHECK (status IN ('firing', 'resolved')),
    severity    text        NOT NULL,
    summary     text        NOT NULL,
    description text,
    labels      jsonb       NOT NULL,
    starts_at   timestamptz NOT NULL,
    ends_at     timestamptz,
    created_at  timestamptz NOT NULL DEFAULT now(),
    -- Alertmanager repeats a notification while the alert lasts and resends on failure: one row per alert and state.
    UNIQUE (fingerprint, status, starts_at)
);
CREATE INDEX notifications_tenant_created ON notifications (tenant_id, created_at DESC);

-- Who has read what. tenant_id repeats the notification's, so row-level security treats both tables alike.
CREATE TABLE notification_reads (
    notification_id uuid        NOT NULL REFERENCES notifications (id) ON DELETE CASCADE,
    user_id         uuid        NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    tenant_id       uuid,
    read_at         timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (notification_id, user_id)
);

ALTER TABLE notifications ENABLE ROW LEVEL SECURITY;
ALTER TABLE notifications FORCE ROW LEVEL SECURITY;
CREATE POLICY notifications_scope ON notifications
    USING (app_tenant_visible(tenant_id)) WITH CHECK (app_tenant_visible(tenant_id));
ALTER TABLE notification_reads ENABLE ROW LEVEL SECURITY;
ALTER TABLE notification_reads FORCE ROW LEVEL SECURITY;
CREATE POLICY notification_reads_scope ON notification_reads
    USING (app_tenant_visible(tenant_id)) WITH CHECK (app_tenant_visible(tenant_id));

GRANT SELECT, INSERT ON notifications TO ${app_role};
GRANT SELECT, INSERT ON notification_reads TO ${app_role};
