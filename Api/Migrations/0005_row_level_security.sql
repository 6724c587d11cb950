-- Tenant isolation in the database: every row that belongs to a tenant is visible and writable only
-- within the tenant scope the Api sets for its transaction (Api/Data/AppDb), so that a query which
-- forgets its tenant filter still cannot read or change another tenant's rows.
--
-- app.tenant_ids is a comma-separated list of tenant ids and app.all_tenants = 'on' the platform
-- scope (background workers, sign-in before a tenant is known, super admins); both are set with
-- set_config(..., true) and end with the transaction. With neither set, every policy is false.
CREATE FUNCTION app_tenant_visible(tenant uuid) RETURNS boolean
LANGUAGE sql STABLE AS $$
    SELECT coalesce(current_setting('app.all_tenants', true), '') = 'on'
        OR tenant = ANY (string_to_array(nullif(current_setting('app.tenant_ids', true), ''), ',')::uuid[])
$$;
GRANT EXECUTE ON FUNCTION app_tenant_visible(uuid) TO ${app_role};

-- Sets the scope for the rest of the transaction. A CALL returns no result set, so the Api sends it in the same
-- round trip as the unit of work's first statement, and readers still start at that statement's rows.
-- PL/pgSQL keeps its compiled body and plans per session; a SQL-language procedure is planned on every CALL.
CREATE PROCEDURE app_scope(all_tenants boolean, tenant_ids text)
LANGUAGE plpgsql AS $$
BEGIN
    PERFORM set_config('app.all_tenants', CASE WHEN all_tenants THEN 'on' ELSE 'off' END, true);
    PERFORM set_config('app.tenant_ids', tenant_ids, true);
END
$$;
GRANT EXECUTE ON PROCEDURE app_scope(boolean, text) TO ${app_role};

-- tenants: the row's own id is its tenant.
ALTER TABLE tenants ENABLE ROW LEVEL SECURITY;
ALTER TABLE tenants FORCE ROW LEVEL SECURITY;
CREATE POLICY tenants_scope ON tenants USING (app_tenant_visible(id)) WITH CHECK (app_tenant_visible(id));

-- users: super admins and support staff have no tenant (NULL), so only the platform scope sees them.
ALTER TABLE users ENABLE ROW LEVEL SECURITY;
ALTER TABLE users FORCE ROW LEVEL SECURITY;
CREATE POLICY users_scope ON users USING (app_tenant_visible(tenant_id)) WITH CHECK (app_tenant_visible(tenant_id));

-- refresh_tokens carry no tenant: a token belongs to the tenant of its user (the look-up of users is
-- itself under users' policy, so a user without a tenant leaves its tokens to the platform scope).
ALTER TABLE refresh_tokens ENABLE ROW LEVEL SECURITY;
ALTER TABLE refresh_tokens FORCE ROW LEVEL SECURITY;
CREATE POLICY refresh_tokens_scope ON refresh_tokens
    USING (app_tenant_visible((SELECT u.tenant_id FROM users u WHERE u.id = user_id)))
    WITH CHECK (app_tenant_visible((SELECT u.tenant_id FROM users u WHERE u.id = user_id)));

-- Every other table carries tenant_id; feedback's is NULL for platform-level feedback (platform scope only).
DO $$
DECLARE
    t text;
BEGIN
    FOREACH t IN ARRAY ARRAY['support_assignments', 'activities', 'activity_stages', 'llm_calls', 'llm_usage_daily',
                             'spend_cap_crossings', 'feedback'] LOOP
        EXECUTE format('ALTER TABLE %I ENABLE ROW LEVEL SECURITY', t);
        EXECUTE format('ALTER TABLE %I FORCE ROW LEVEL SECURITY', t);
        EXECUTE format('CREATE POLICY %I ON %I USING (app_tenant_visible(tenant_id)) WITH CHECK (app_tenant_visible(tenant_id))',
                       t || '_scope', t);
    END LOOP;
END
$$;

-- signing_keys hold no tenant data (one platform key pair signs every token) and stay without RLS.
