-- The tenant scope of one transaction as one call without a result set, so it can lead any command or batch
-- (Data/DbScope.cs). It sets the same two settings audit_tenant_visible reads, local to the transaction.
CREATE PROCEDURE audit_scope(all_tenants boolean, tenant_ids text)
LANGUAGE sql AS $$
    SELECT set_config('app.all_tenants', CASE WHEN all_tenants THEN 'on' ELSE 'off' END, true),
           set_config('app.tenant_ids', tenant_ids, true)
$$;
GRANT EXECUTE ON PROCEDURE audit_scope(boolean, text) TO ${app_role};
