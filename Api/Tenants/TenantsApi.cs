using System.Net.Mail;
using Microsoft.AspNetCore.Mvc;

namespace Api.Tenants;

public static class TenantsApi
{
    public static IEndpointRouteBuilder MapTenantsApi(this IEndpointRouteBuilder app)
    {
        var tenants = app.MapGroup("/api/tenants").WithTags("Tenants").RequireAuthorization();
        tenants.MapPost("/", CreateAsync).WithName("CreateTenant").WithSummary("Creates a tenant (super admins).")
            .RequireAuthorization(p => p.RequireRole(Roles.SuperAdmin));
        tenants.MapGet("/", ListAsync).WithName("ListTenants")
            .WithSummary("Tenants the caller may see, with plan, budget, member count and last activity.");
        tenants.MapGet("/{id:guid}", GetAsync).WithName("GetTenant").WithSummary("One tenant the caller may see.");
        tenants.MapPut("/{id:guid}/plan", ChangePlanAsync).RequireTenantManager("id")
            .WithName("ChangeTenantPlan").WithSummary("Moves the tenant to another plan (its admins, super admins).");
        tenants.MapPut("/{id:guid}/settings", ChangeSettingsAsync).RequireTenantManager("id")
            .WithName("ChangeTenantSettings").WithSummary("Replaces the tenant's settings (its admins, super admins).");
        return app;
    }

    public static async Task<Results<Created<Tenant>, ValidationProblem, ProblemHttpResult>> CreateAsync(
        CreateTenantRequest request, Caller caller, AppDb appDb, TenantStore store, IAuditLog audit, CancellationToken ct)
    {
        var errors = new Dictionary<string, string[]>();
        var name = request.Name?.Trim();
        if (string.IsNullOrEmpty(name) || name.Length > 100)
        {
            errors["name"] = ["is required, at most 100 characters."];
        }

        var slug = (request.Slug ?? Slug.From(name ?? "")).Trim();
        if (!Slug.IsValid(slug))
        {
            errors["slug"] = ["must be 2-50 lower-case letters, digits and dashes."];
        }

        var plan = request.Plan ?? "free";
        FieldRules.OneOf(plan, "plan", Plans.All, errors);
        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors);
        }

        await using var db = await appDb.OpenAsync(caller.Scope, ct);
        var tenant = await store.TryCreateAsync(db, name!, slug, plan, ct);
        if (tenant is null)
        {
            return TypedResults.Problem(new ProblemDetails
            {
                Status = 409, Title = "Slug taken", Detail = $"slug: a tenant with slug '{slug}' already exists.",
            });
        }

        audit.RecordTenantChange("tenant.created", tenant.Id, tenant.Name, $"Tenant '{tenant.Name}' created on the {tenant.Plan} plan", null, tenant);
        return TypedResults.Created($"/api/tenants/{tenant.Id}", tenant);
    }

    public static async Task<Ok<IReadOnlyList<TenantSummary>>> ListAsync(Caller caller, AppDb appDb, TenantStore store, CancellationToken ct)
    {
        await using var db = await appDb.OpenAsync(caller.Scope, ct);
        return TypedResults.Ok(await store.ListAsync(db, ct));
    }

    public static async Task<Results<Ok<TenantSummary>, NotFound>> GetAsync(Guid id, Caller caller, AppDb appDb, TenantStore store, CancellationToken ct)
    {
        if (!caller.CanSee(id))
        {
            return TypedResults.NotFound();
        }

        await using var db = await appDb.OpenAsync(caller.Scope, ct);
        return await store.FindAsync(db, id, ct) is { } tenant ? TypedResults.Ok(tenant) : TypedResults.NotFound();
    }

    public static async Task<Results<Ok<TenantSummary>, ValidationProblem, NotFound>> ChangePlanAsync(
        Guid id, ChangePlanRequest request, Caller caller, AppDb appDb, TenantStore store, IAuditLog audit, CancellationToken ct)
    {
        var errors = new Dictionary<string, string[]>();
        FieldRules.OneOf(request.Plan, "plan", Plans.All, errors);
        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors);
        }

        await using var db = await appDb.OpenAsync(caller.Scope, ct);
        var before = await store.FindAsync(db, id, ct);
        if (before is null || await store.ChangePlanAsync(db, id, request.Plan!, ct) is null)
        {
            return TypedResults.NotFound();
        }

        var after = (await store.FindAsync(db, id, ct))!;
        audit.RecordTenantChange("tenant.plan_changed", id, after.Name, $"Plan of '{after.Name}' changed from {before.Plan} to {after.Plan}",
            new { before.Plan, before.MonthlyBudgetUsd }, new { after.Plan, after.MonthlyBudgetUsd });
        return TypedResults.Ok(after);
    }

    public static async Task<Results<Ok<TenantSummary>, ValidationProblem, NotFound>> ChangeSettingsAsync(
        Guid id, TenantSettings request, Caller caller, AppDb appDb, TenantStore store, IAuditLog audit, CancellationToken ct)
    {
        var errors = new Dictionary<string, string[]>();
        if (request.Timezone is { } zone && (zone.Length > 64 || !TimeZoneInfo.TryFindSystemTimeZoneById(zone, out _)))
        {
            errors["timezone"] = ["must be an IANA time zone such as Europe/Berlin."];
        }

        if (request.SpendAlertEmail is { } email && (email.Length > 320 || !MailAddress.TryCreate(email, out _)))
        {
            errors["spendAlertEmail"] = ["must be an email address."];
        }

        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors);
        }

        await using var db = await appDb.OpenAsync(caller.Scope, ct);
        if (await store.ChangeSettingsAsync(db, id, request, ct) is not { } changed)
        {
            return TypedResults.NotFound();
        }

        var (before, after) = changed;
        audit.RecordTenantChange("tenant.settings_changed", id, after.Name, $"Settings of '{after.Name}' changed", before, after.Settings);
        return TypedResults.Ok(after);
    }
}
