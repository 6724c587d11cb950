using System.Security.Claims;
using System.Text.RegularExpressions;
using Api.Identity;
using Audit.Client;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Api.Tenants;

public static partial class TenantsApi
{
    public sealed record CreateTenantRequest(string? Name, string? Slug, string? Plan);

    public static IEndpointRouteBuilder MapTenantsApi(this IEndpointRouteBuilder app)
    {
        var tenants = app.MapGroup("/api/tenants").WithTags("Tenants").RequireAuthorization();
        tenants.MapPost("/", CreateAsync).WithName("CreateTenant").WithSummary("Creates a tenant (super admins).")
            .RequireAuthorization(p => p.RequireRole(Roles.SuperAdmin));
        tenants.MapGet("/", ListAsync).WithName("ListTenants").WithSummary("All tenants for super admins; one's own otherwise.");
        return app;
    }

    public static async Task<Results<Created<Tenant>, ValidationProblem, Conflict<Microsoft.AspNetCore.Mvc.ProblemDetails>>> CreateAsync(
        CreateTenantRequest request, TenantStore store, IAuditLog audit, CancellationToken ct)
    {
        var errors = new Dictionary<string, string[]>();
        var name = request.Name?.Trim();
        if (string.IsNullOrEmpty(name) || name.Length > 100)
        {
            errors["name"] = ["is required, at most 100 characters."];
        }

        var slug = (request.Slug ?? Slugify(name ?? "")).Trim();
        if (!SlugPattern().IsMatch(slug))
        {
            errors["slug"] = ["must be 2-50 lower-case letters, digits and dashes."];
        }

        var plan = request.Plan ?? "free";
        if (!Plans.All.Contains(plan))
        {
            errors["plan"] = [$"must be one of {string.Join(", ", Plans.All)}."];
        }

        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors);
        }

        var tenant = await store.TryCreateAsync(name!, slug, plan, ct);
        if (tenant is null)
        {
            return TypedResults.Conflict(new Microsoft.AspNetCore.Mvc.ProblemDetails
            {
                Status = 409, Title = "Slug taken", Detail = $"slug: a tenant with slug '{slug}' already exists.",
            });
        }

        audit.Record(new AuditRecord
        {
            Action = "tenant.created",
            TenantId = tenant.Id,
            ResourceType = "tenant",
            ResourceId = tenant.Id.ToString(),
            ResourceName = tenant.Name,
            Description = $"Tenant '{tenant.Name}' created on the {tenant.Plan} plan",
            After = tenant,
        });
        return TypedResults.Created($"/api/tenants/{tenant.Id}", tenant);
    }

    public static async Task<Ok<IReadOnlyList<Tenant>>> ListAsync(ClaimsPrincipal user, TenantStore store, CancellationToken ct)
    {
        if (user.IsInRole(Roles.SuperAdmin))
        {
            return TypedResults.Ok(await store.ListAsync(null, ct));
        }

        return Guid.TryParse(user.FindFirstValue(ClaimNames.Tenant), out var own)
            ? TypedResults.Ok(await store.ListAsync(own, ct))
            : TypedResults.Ok<IReadOnlyList<Tenant>>([]);
    }

    private static string Slugify(string name) => SlugCleaner().Replace(name.ToLowerInvariant(), "-").Trim('-');

    [GeneratedRegex("^[a-z0-9][a-z0-9-]{1,49}$")]
    private static partial Regex SlugPattern();

    [GeneratedRegex("[^a-z0-9]+")]
    private static partial Regex SlugCleaner();
}
