namespace Api.Tenants;

/// <summary>
/// Changing a tenant (its plan, settings and members) is for the tenant's admins and super admins. The check runs as an
/// endpoint filter, before the handler and its validation: 404 for a tenant the caller cannot see, so that its existence
/// is not confirmed, 403 for one the caller may only read.
/// </summary>
public static class TenantManagement
{
    public static RouteHandlerBuilder RequireTenantManager(this RouteHandlerBuilder endpoint, string tenantRouteValue) => endpoint
        .AddEndpointFilter(async (context, next) =>
        {
            var http = context.HttpContext;
            var caller = Caller.From(http.User);
            var tenant = Guid.Parse(http.GetRouteValue(tenantRouteValue)!.ToString()!);
            if (caller is null || !caller.CanSee(tenant))
            {
                return TypedResults.NotFound();
            }

            return caller.CanManage(tenant) ? await next(context) : TypedResults.Forbid();
        })
        .Produces(StatusCodes.Status404NotFound)
        .Produces(StatusCodes.Status403Forbidden);
}
