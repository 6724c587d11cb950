using Api.Tenants;
using Microsoft.AspNetCore.Mvc;

namespace Api.Members;

public static class MembersApi
{
    public static readonly TimeSpan InvitationLifetime = TimeSpan.FromDays(7);

    public static IEndpointRouteBuilder MapMembersApi(this IEndpointRouteBuilder app)
    {
        var members = app.MapGroup("/api/tenants/{tenantId:guid}/members").WithTags("Members").RequireAuthorization();
        members.MapGet("/", ListAsync).WithName("ListMembers").WithSummary("The tenant's members with their last sign-in.");
        members.MapPost("/", InviteAsync).RequireTenantManager("tenantId")
            .WithName("InviteMember").WithSummary("Invites a member; answers a one-time invitation token.");
        members.MapDelete("/{userId:guid}", RemoveAsync).RequireTenantManager("tenantId")
            .WithName("RemoveMember").WithSummary("Removes a member and ends their sessions.");
        members.MapPut("/{userId:guid}/role", ChangeRoleAsync).RequireTenantManager("tenantId")
            .WithName("ChangeMemberRole").WithSummary("Makes a member a tenant admin or a member.");

        app.MapGet("/api/users", ListUsersAsync).WithTags("Members").RequireAuthorization()
            .WithName("ListUsers").WithSummary("Users the caller may see, with their tenant's plan and last activity.");
        app.MapPost("/api/users/{userId:guid}/unlock", UnlockAsync).WithTags("Members").RequireAuthorization()
            .WithName("UnlockUser").WithSummary("Ends a sign-in lockout (the tenant's admins, super admins; platform users: super admins).");
        return app;
    }

    public static async Task<Results<Ok<IReadOnlyList<UserView>>, NotFound>> ListAsync(
        Guid tenantId, Caller caller, AppDb appDb, UserStore users, CancellationToken ct)
    {
        if (!caller.CanSee(tenantId))
        {
            return TypedResults.NotFound();
        }

        await using var db = await appDb.OpenAsync(caller.Scope, ct);
        return TypedResults.Ok(ViewsOf(await users.ListMembersAsync(db, tenantId, ct)));
    }

    public static async Task<Results<Created<Invitation>, ValidationProblem, NotFound, ProblemHttpResult>> InviteAsync(
        Guid tenantId, InviteRequest request, Caller caller, AppDb appDb, UserStore users, TenantStore tenants, IAuditLog audit, TimeProvider clock,
        CancellationToken ct)
    {
        var errors = new Dictionary<string, string[]>();
        FieldRules.Email(request.Email, errors);
        FieldRules.Required(request.DisplayName, "displayName", 100, errors);
        var role = request.Role ?? Roles.Member;
        FieldRules.OneOf(role, "role", Roles.TenantRoles, errors);
        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors);
        }

        await using var db = await appDb.OpenAsync(caller.Scope, ct);
        if (await tenants.FindAsync(db, tenantId, ct) is not { } tenant)
        {
            return TypedResults.NotFound();
        }

        var token = OpaqueToken.New("inv_");
        var expires = clock.GetUtcNow() + InvitationLifetime;
        var member = new User(Guid.CreateVersion7(), request.Email!.Trim(), request.DisplayName!.Trim(), "", role, tenantId, clock.GetUtcNow(), InvitationPending: true);
        if (!await users.TryCreateAsync(db, member, ct, OpaqueToken.Hash(token), expires))
        {
            return TypedResults.Problem(new ProblemDetails { Status = 409, Title = "Email taken", Detail = "email: a user with this email already exists.", Extensions = { ["field"] = "email" } });
        }

        var view = member.ToView();
        audit.RecordTenantChange("member.invited", tenantId, member.Email, $"{member.Email} invited to '{tenant.Name}' as {role}",
            null, view, "user", member.Id.ToString());
        return TypedResults.Created($"/api/tenants/{tenantId}/members/{member.Id}", new Invitation(view, token, expires));
    }

    public static async Task<Results<NoContent, NotFound, ProblemHttpResult>> RemoveAsync(
        Guid tenantId, Guid userId, Caller caller, AppDb appDb, UserStore users, IAuditLog audit, CancellationToken ct)
    {
        await using var db = await appDb.OpenAsync(caller.Scope, ct);
        if (await users.FindMemberAsync(db, tenantId, userId, ct) is not { } member)
        {
            return TypedResults.NotFound();
        }

        if (member.Role == Roles.TenantAdmin && await LastAdminAsync(db, users, tenantId, userId, ct))
        {
            return LastAdminConflict();
        }

        await users.DeleteAsync(db, tenantId, userId, ct);
        audit.RecordTenantChange("member.removed", tenantId, member.Email, $"{member.Email} removed", member.ToView(), null, "user", member.Id.ToString());
        return TypedResults.NoContent();
    }

    public static async Task<Results<Ok<UserView>, ValidationProblem, NotFound, ProblemHttpResult>> ChangeRoleAsync(
        Guid tenantId, Guid userId, ChangeRoleRequest request, Caller caller, AppDb appDb, UserStore users, IAuditLog audit, CancellationToken ct)
    {
        var errors = new Dictionary<string, string[]>();
        FieldRules.OneOf(request.Role, "role", Roles.TenantRoles, errors);
        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors);
        }

        await using var db = await appDb.OpenAsync(caller.Scope, ct);
        if (await users.FindMemberAsync(db, tenantId, userId, ct) is not { } member)
        {
            return TypedResults.NotFound();
        }

        if (member.Role == Roles.TenantAdmin && request.Role != Roles.TenantAdmin && await LastAdminAsync(db, users, tenantId, userId, ct))
        {
            return LastAdminConflict();
        }

        await users.ChangeRoleAsync(db, tenantId, userId, request.Role!, ct);
        var after = member with { Role = request.Role! };
        audit.RecordTenantChange("member.role_changed", tenantId, member.Email, $"Role of {member.Email} changed from {member.Role} to {after.Role}",
            member.ToView(), after.ToView(), "user", member.Id.ToString());
        return TypedResults.Ok(after.ToView());
    }

    public static async Task<Results<Ok<UserView>, ProblemHttpResult>> UnlockAsync(
        Guid userId, Caller caller, AppDb appDb, UserStore users, IAuditLog audit, CancellationToken ct)
    {
        await using var db = await appDb.OpenAsync(caller.Scope, ct);
        var user = await users.FindAsync(db, userId, ct);
        if (user is null || (user.TenantId is { } visible ? !caller.CanSee(visible) : !caller.IsSuperAdmin))
        {
            return TypedResults.Problem(statusCode: 404, title: "Not found", detail: "userId: no such user.");
        }

        if (user.TenantId is { } tenant ? !caller.CanManage(tenant) : !caller.IsSuperAdmin)
        {
            return TypedResults.Problem(statusCode: 403, title: "Forbidden", detail: "userId: only the user's tenant admins or a super admin may unlock this account.");
        }

        await users.UnlockAsync(db, user.Id, ct);
        audit.RecordTenantChange("user.unlocked", user.TenantId ?? Audit.Contracts.AuditTenants.Platform, user.Email, $"Sign-in lockout of {user.Email} ended by an admin",
            new { user.LockedUntil }, new { LockedUntil = (DateTimeOffset?)null }, "user", user.Id.ToString());
        return TypedResults.Ok((user with { LockedUntil = null }).ToView());
    }

    public static async Task<Ok<IReadOnlyList<UserListItem>>> ListUsersAsync(Caller caller, AppDb appDb, UserStore users, TenantStore tenants, CancellationToken ct)
    {
        await using var db = await appDb.OpenAsync(caller.Scope, ct);
        var byId = (await tenants.ListAsync(db, ct)).ToDictionary(t => t.Id);
        var list = (await users.ListAsync(db, ct))
            .Select(u => new UserListItem(u.ToView(),
                u.TenantId is { } t && byId.TryGetValue(t, out var tenant) ? tenant.Name : null,
                u.TenantId is { } p && byId.TryGetValue(p, out var planOf) ? planOf.Plan : null))
            .ToList();
        return TypedResults.Ok<IReadOnlyList<UserListItem>>(list);
    }

    /// <summary>Whether no one but this user is an admin of the tenant who can sign in.</summary>
    private static async Task<bool> LastAdminAsync(DbScope db, UserStore users, Guid tenantId, Guid userId, CancellationToken ct) =>
        !(await users.ListMembersAsync(db, tenantId, ct)).Any(u => u.Role == Roles.TenantAdmin && !u.InvitationPending && u.Id != userId);

    private static ProblemHttpResult LastAdminConflict() => TypedResults.Problem(new ProblemDetails
    {
        Status = 409, Title = "Last admin", Detail = "userId: a tenant keeps at least one tenant admin.", Extensions = { ["field"] = "userId" },
    });

    private static IReadOnlyList<UserView> ViewsOf(IEnumerable<User> users) => [.. users.Select(u => u.ToView())];
}
