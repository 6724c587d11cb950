-- Spend caps people can act on: a super admin's raise of one tenant's cap for one month, and the e-mail outbox that
-- carries each threshold crossing to the tenant's spendAlertEmail (written with the crossing, drained by Api/Mail).

-- A month-scoped cap: replaces the plan's budget for that tenant in that calendar month (UTC) only. One row per
-- tenant and month; raising again updates it (each raise is in the audit log with before and after).
CREATE TABLE spend_cap_overrides (
    tenant_id  uuid          NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
    month      date          NOT NULL CHECK (extract(day FROM month) = 1),
    budget_usd numeric(20,6) NOT NULL CHECK (budget_usd > 0),
    raised_by  uuid          NOT NULL,
    reason     text          NOT NULL,
    raised_at  timestamptz   NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, month)
);

-- Mail waiting to be sent, and what became of it. Rows are never deleted by the sender: a mail that keeps failing
-- stays here with its attempts and last error, retried with backoff, so none is lost.
CREATE TABLE mail_outbox (
    id              uuid PRIMARY KEY,
    tenant_id       uuid        REFERENCES tenants (id) ON DELETE CASCADE,
    to_address      text        NOT NULL,
    subject         text        NOT NULL,
    body            text        NOT NULL,
    created_at      timestamptz NOT NULL DEFAULT now(),
    next_attempt_at timestamptz NOT NULL DEFAULT now(),
    attempts        int         NOT NULL DEFAULT 0,
    last_error      text,
    sent_at         timestamptz
);
CREATE INDEX mail_outbox_due ON mail_outbox (next_attempt_at) WHERE sent_at IS NULL;

ALTER TABLE spend_cap_overrides ENABLE ROW LEVEL SECURITY;
ALTER TABLE spend_cap_overrides FORCE ROW LEVEL SECURITY;
CREATE POLICY spend_cap_overrides_scope ON spend_cap_overrides
    USING (app_tenant_visible(tenant_id)) WITH CHECK (app_tenant_visible(tenant_id));
ALTER TABLE mail_outbox ENABLE ROW LEVEL SECURITY;
ALTER TABLE mail_outbox FORCE ROW LEVEL SECURITY;
CREATE POLICY mail_outbox_scope ON mail_outbox
    USING (app_tenant_visible(tenant_id)) WITH CHECK (app_tenant_visible(tenant_id));

GRANT SELECT, INSERT, UPDATE ON spend_cap_overrides TO ${app_role};
GRANT SELECT, INSERT, UPDATE ON mail_outbox TO ${app_role};
-- A raised cap re-arms the thresholds it puts back out of reach, so they are announced again against the new budget.
GRANT DELETE ON spend_cap_crossings TO ${app_role};
