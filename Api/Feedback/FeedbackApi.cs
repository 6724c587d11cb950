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
        SubmitFeedbackRequest request, Caller caller, AppDb appDb, FeedbackStore store, IAuditLog audit, CancellationToken ct)
    {
        var errors = new Dictionary<string, string[]>();
        var kind = request.Kind ?? "general";
        var priority = request.Priority ?? "medium";
        FieldRules.OneOf(kind, "kind", FeedbackVocabulary.Kinds, errors);
        FieldRules.OneOf(priority, "priority", FeedbackVocabulary.Priorities, errors);

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

        // The row lives in the caller's own tenant, or is platform-level for staff without one (only the platform scope writes it).
        await using var db = await appDb.OpenAsync(TenantScope.OwnedBy(caller.TenantId), ct);
        var item = await store.CreateAsync(db, caller.TenantId, caller.UserId, caller.Email ?? "", kind, priority, request.Message!.Trim(), request.Page, ct);
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

    /// <summary>Super admins see everything (platform-level feedback too); support their assigned tenants; tenant admins their own tenant.</summary>
    public static async Task<Ok<IReadOnlyList<FeedbackItem>>> ListAsync(string? status, Caller caller, AppDb appDb, FeedbackStore store, CancellationToken ct)
    {
        await using var db = await appDb.OpenAsync(caller.Scope, ct);
        return TypedResults.Ok(await store.ListAsync(db, status, ct));
    }

    public static async Task<Results<Ok<FeedbackItem>, NotFound, ValidationProblem>> TriageAsync(
        Guid id, TriageFeedbackRequest request, Caller caller, AppDb appDb, FeedbackStore store, IAuditLog audit, CancellationToken ct)
    {
        var errors = new Dictionary<string, string[]>();
        FieldRules.OneOf(request.Status, "status", FeedbackVocabulary.Statuses, errors);
        if (request.Note is { Length: > 2000 })
        {
            errors["note"] = ["is longer than 2000 characters."];
        }

        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors);
        }

        // Outside the caller's scope answers exactly like a missing item.
        await using var db = await appDb.OpenAsync(caller.Scope, ct);
        var before = await store.FindAsync(db, id, ct);
        if (before is null || !caller.Scope.Allows(before.TenantId))
        {
            return TypedResults.NotFound();
        }

        var after = (await store.TriageAsync(db, before, request.Status!, request.Note, ct))!;
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
}
