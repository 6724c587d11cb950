using System.Security.Claims;
using Api.Identity;
using Audit.Client;
using Audit.Contracts;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Api.Feedback;

public static class FeedbackApi
{
    public static IEndpointRouteBuilder MapFeedbackApi(this IEndpointRouteBuilder app)
    {
        var feedback = app.MapGroup("/api/feedback").WithTags("Feedback").RequireAuthorization();
        feedback.MapPost("/", SubmitAsync).WithName("SubmitFeedback").WithSummary("Stores feedback from any signed-in user.");
        feedback.MapGet("/", ListAsync).WithName("ListFeedback").WithSummary("Feedback to triage (admins).")
            .RequireAuthorization(p => p.RequireRole(Roles.SuperAdmin, Roles.Support, Roles.TenantAdmin));
        feedback.MapPatch("/{id:guid}", TriageAsync).WithName("TriageFeedback").WithSummary("Moves feedback to reviewed or resolved (audited).")
            .RequireAuthorization(p => p.RequireRole(Roles.SuperAdmin, Roles.Support, Roles.TenantAdmin));
        return app;
    }

    public static async Task<Results<Created<FeedbackItem>, ValidationProblem>> SubmitAsync(
        SubmitFeedbackRequest request, ClaimsPrincipal user, FeedbackStore store, IAuditLog audit, CancellationToken ct)
    {
        var errors = new Dictionary<string, string[]>();
        var kind = request.Kind ?? "general";
        var priority = request.Priority ?? "medium";
        if (!FeedbackVocabulary.Kinds.Contains(kind))
        {
            errors["kind"] = [$"must be one of {string.Join(", ", FeedbackVocabulary.Kinds)}."];
        }

        if (!FeedbackVocabulary.Priorities.Contains(priority))
        {
            errors["priority"] = [$"must be one of {string.Join(", ", FeedbackVocabulary.Priorities)}."];
        }

        if (string.IsNullOrWhiteSpace(request.Message) || request.Message.Length > 4000)
        {
            errors["message"] = ["is required, at most 4000 characters."];
        }

        if (request.Page is { Length: > 500 })
        {
            errors["page"] = ["is longer than 500 characters."];
        }

        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors);
        }

        var item = await store.CreateAsync(TenantOf(user), Guid.Parse(user.FindFirstValue(TokenClaims.Subject)!),
            user.FindFirstValue(TokenClaims.Email) ?? "", kind, priority, request.Message!.Trim(), request.Page, ct);
        audit.Record(new AuditRecord
        {
            Action = "feedback.submitted",
            Category = "activity",
            TenantId = item.TenantId ?? AuditTenants.Platform,
            ResourceType = "feedback",
            ResourceId = item.Id.ToString(),
            Description = $"{kind} feedback ({priority}) submitted",
            After = new { item.Kind, item.Priority, item.Status, item.Page },
        });
        return TypedResults.Created($"/api/feedback/{item.Id}", item);
    }

    public static async Task<Ok<IReadOnlyList<FeedbackItem>>> ListAsync(string? status, ClaimsPrincipal user, FeedbackStore store, CancellationToken ct) =>
        TypedResults.Ok(await store.ListAsync(status, Scope(user), ct));

    public static async Task<Results<Ok<FeedbackItem>, NotFound, ValidationProblem>> TriageAsync(
        Guid id, TriageFeedbackRequest request, ClaimsPrincipal user, FeedbackStore store, IAuditLog audit, CancellationToken ct)
    {
        if (request.Status is null || !FeedbackVocabulary.Statuses.Contains(request.Status))
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]>
            {
                ["status"] = [$"must be one of {string.Join(", ", FeedbackVocabulary.Statuses)}."],
            });
        }

        if (request.Note is { Length: > 2000 })
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["note"] = ["is longer than 2000 characters."] });
        }

        // Outside the caller's scope answers exactly like a missing item.
        var before = await store.FindAsync(id, Scope(user), ct);
        if (before is null || (Scope(user) is { } scope && (before.TenantId is not { } t || !scope.Contains(t))))
        {
            return TypedResults.NotFound();
        }

        var after = (await store.TriageAsync(before, request.Status, request.Note, ct))!;
        audit.Record(new AuditRecord
        {
            Action = "feedback.triaged",
            TenantId = after.TenantId ?? AuditTenants.Platform,
            ResourceType = "feedback",
            ResourceId = after.Id.ToString(),
            Description = $"Feedback moved from {before.Status} to {after.Status}",
            Before = new { before.Status, before.TriageNote },
            After = new { after.Status, after.TriageNote },
        });
        return TypedResults.Ok(after);
    }

    private static Guid? TenantOf(ClaimsPrincipal user) => Guid.TryParse(user.FindFirstValue(TokenClaims.Tenant), out var t) ? t : null;

    /// <summary>Super admins see everything; support their assigned tenants; tenant admins their own tenant.</summary>
    private static IReadOnlyCollection<Guid>? Scope(ClaimsPrincipal user) =>
        user.IsInRole(Roles.SuperAdmin) ? null
        : user.IsInRole(Roles.Support) ? user.FindAll("support_tenants").Select(c => Guid.TryParse(c.Value, out var g) ? g : Guid.Empty).Where(g => g != Guid.Empty).ToList()
        : TenantOf(user) is { } own ? [own] : [];
}
