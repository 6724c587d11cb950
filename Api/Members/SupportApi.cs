using Api.Tenants;

namespace Api.Members;

/// <summary>Super admins assign support users to the tenants they help; the assignment shows in the user's next token.</summary>
public static class SupportApi
{
    public static IEndpointRouteBuilder MapSupportApi(this IEndpointRouteBuilder app)
    {
        var support = app.MapGroup("/api/tenants/{tenantId:guid}/support/{userId:guid}").WithTags("Members")
            .RequireAuthorization(p => p.RequireRole(Roles.SuperAdmin));
        support.MapPut("/", AssignAsync).WithName("AssignSupport").WithSummary("Lets a support user see the tenant.");
        support.MapDelete("/", UnassignAsync).WithName("UnassignSupport").WithSummary("Stops a support user seeing the tenant.");
        return app;
    }

    public static async Task<Results<NoContent, NotFound, ValidationProblem>> AssignAsync(
        Guid tenantId, Guid userId, Caller caller, AppDb appDb, UserStore users, TenantStore tenants, SupportAssignments assignments, IAuditLog audit,
        CancellationToken ct)
    {
        // A super admin's scope is the platform's, where support users (who have no tenant) are found.
        await using var db = await appDb.OpenAsync(caller.Scope, ct);
        if (await tenants.FindAsync(db, tenantId, ct) is not { } tenant || await users.FindAsync(db, userId, ct) is not { } user)
        {
            return TypedResults.NotFound();
        }

        if (user.Role != Roles.Support)
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["userId"] = ["must be a support user."] });
        }

        if (await assignments.AssignAsync(db, userId, tenantId, ct))
        {
            audit.RecordTenantChange("support.assigned", tenantId, user.Email, $"{user.Email} may now support '{tenant.Name}'",
                null, new { userId, tenantId }, "user", userId.ToString());
        }

        return TypedResults.NoContent();
    }

    public static async Task<Results<NoContent, NotFound>> UnassignAsync(
        Guid tenantId, Guid userId, Caller caller, AppDb appDb, UserStore users, SupportAssignments assignments, IAuditLog audit, CancellationToken ct)
    {
        await using var db = await appDb.OpenAsync(caller.Scope, ct);
        if (!await assignments.UnassignAsync(db, userId, tenantId, ct))
        {
            return TypedResults.NotFound();
        }

        var email = (await users.FindAsync(db, userId, ct))?.Email ?? userId.ToString();
        audit.RecordTenantChange("support.unassigned", tenantId, email, $"{email} no longer supports the tenant",
            new { userId, tenantId }, null, "user", userId.ToString());
        return TypedResults.NoContent();
    }
}
