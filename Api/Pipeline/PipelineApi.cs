using System.Diagnostics;
using Api.Usage;
using Microsoft.AspNetCore.Mvc;

namespace Api.Pipeline;

public static class PipelineApi
{
    public static IEndpointRouteBuilder MapPipelineApi(this IEndpointRouteBuilder app)
    {
        var activities = app.MapGroup("/api/activities").WithTags("Pipeline").RequireAuthorization();
        activities.MapPost("/", CreateAsync).WithName("CreateActivity")
            .WithSummary("Queues an activity for the agents (tenant users for their tenant; super admins name the tenant); 402 when the tenant's monthly LLM budget is spent.")
            .ProducesProblem(StatusCodes.Status402PaymentRequired);
        activities.MapGet("/", ListAsync).WithName("ListActivities").WithSummary("The newest activities the caller may see.");
        activities.MapGet("/{id:guid}", GetAsync).WithName("GetActivity")
            .WithSummary("An activity with its stage timeline, every LLM call, the output awaiting approval and its trace id.");
        activities.MapPost("/{id:guid}/approve", (Guid id, DecisionRequest? body, Caller caller, [AsParameters] PipelineServices s, CancellationToken ct) =>
                DecideAsync(id, body, caller, s, ActivityStatus.Completed, ct))
            .WithName("ApproveActivity").WithSummary("A tenant user approves the agents' output; the activity completes.");
        activities.MapPost("/{id:guid}/reject", (Guid id, DecisionRequest? body, Caller caller, [AsParameters] PipelineServices s, CancellationToken ct) =>
                DecideAsync(id, body, caller, s, ActivityStatus.Rejected, ct))
            .WithName("RejectActivity").WithSummary("A tenant user rejects the agents' output.");
        activities.MapPost("/{id:guid}/retry", RetryAsync).WithName("RetryActivity")
            .WithSummary("Puts a dead-lettered activity back in the queue (tenant admins and super admins); 402 when the tenant's monthly LLM budget is spent.")
            .ProducesProblem(StatusCodes.Status402PaymentRequired)
            .RequireAuthorization(p => p.RequireRole(Roles.TenantAdmin, Roles.SuperAdmin));

        app.MapGet("/api/pipeline/state", StateAsync).WithTags("Pipeline").WithName("GetPipelineState").RequireAuthorization()
            .WithSummary("Activities by status, approval backlog, average duration per stage, failure rate per agent role, dead letters.");
        return app;
    }

    public static async Task<Results<Created<PipelineActivity>, ValidationProblem, ForbidHttpResult, ProblemHttpResult>> CreateAsync(
        CreateActivityRequest request, Caller caller, [AsParameters] PipelineServices s, CancellationToken ct)
    {
        var errors = new Dictionary<string, string[]>();
        FieldRules.OneOf(request.Kind, "kind", AgentStages.Kinds, errors);

        var input = request.Input?.Trim();
        if (string.IsNullOrEmpty(input) || input.Length > 4000)
        {
            errors["input"] = ["is required, at most 4000 characters."];
        }

        var tenantId = caller.IsSuperAdmin ? request.TenantId : caller.IsTenantUser ? caller.TenantId : null;
        if (caller.IsSuperAdmin && request.TenantId is null)
        {
            errors["tenantId"] = ["is required for super admins (the tenant the activity belongs to)."];
        }
        else if (!caller.IsSuperAdmin && request.TenantId is { } asked && asked != tenantId)
        {
            return TypedResults.Forbid();
        }

        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors);
        }

        if (tenantId is not { } tenant)
        {
            return TypedResults.Forbid();
        }

        await using var db = await s.Db.OpenAsync(caller.Scope, ct);
        TenantSpend owner;
        try
        {
            owner = await s.Caps.GetAsync(db, tenant, ct);
        }
        catch (InvalidOperationException)
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["tenantId"] = ["no such tenant."] });
        }

        if (owner.IsOverCap)
        {
            return SpendCapProblem.For(owner);
        }

        var current = Activity.Current;
        var created = await s.Activities.CreateAsync(db, tenant, request.Kind!, input!, current?.Id, current?.TraceId.ToHexString(),
            caller.UserId.ToString(), caller.Name, ct);
        s.Metrics.Created(owner.Slug, owner.Plan);
        s.Audit.Record(new AuditRecord
        {
            Action = "activity.created",
            Category = "activity",
            TenantId = tenant,
            ResourceType = "activity",
            ResourceId = created.Id.ToString(),
            ResourceName = created.Kind,
            Description = $"Activity '{created.Kind}' queued for the agents",
            After = created,
        });
        return TypedResults.Created($"/api/activities/{created.Id}", created);
    }

    public static async Task<Results<Ok<IReadOnlyList<PipelineActivity>>, ValidationProblem, ForbidHttpResult>> ListAsync(
        Caller caller, AppDb appDb, ActivityStore activities, string? status, Guid? tenantId, int? limit, CancellationToken ct)
    {
        if (status is not null && !ActivityStatus.All.Contains(status))
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["status"] = [$"must be one of {string.Join(", ", ActivityStatus.All)}."] });
        }

        if (limit is < 1 or > 500)
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["limit"] = ["must be between 1 and 500."] });
        }

        if (caller.Scope.Narrow(tenantId) is not { } scope)
        {
            return TypedResults.Forbid();
        }

        await using var db = await appDb.OpenAsync(scope, ct);
        return TypedResults.Ok(await activities.ListAsync(db, status, limit ?? 50, ct));
    }

    public static async Task<Results<Ok<ActivityDetail>, NotFound>> GetAsync(Guid id, Caller caller, AppDb appDb, ActivityStore activities, CancellationToken ct)
    {
        // Another tenant's activity is answered as absent: its existence is not the caller's business.
        await using var db = await appDb.OpenAsync(caller.Scope, ct);
        if (await activities.FindAsync(db, id, ct) is not { } activity || !caller.CanSee(activity.TenantId))
        {
            return TypedResults.NotFound();
        }

        var calls = await activities.CallsAsync(db, id, ct);
        return TypedResults.Ok(new ActivityDetail(activity, [.. AgentStages.ByKind[activity.Kind].Select(x => x.Name)],
            await activities.TimelineAsync(db, id, ct), calls, calls.Sum(c => c.CostUsd)));
    }

    public static async Task<Results<Ok<PipelineStateView>, ForbidHttpResult>> StateAsync(
        Caller caller, AppDb appDb, PipelineStateQuery state, Guid? tenantId, CancellationToken ct)
    {
        if (caller.Scope.Narrow(tenantId) is not { } scope)
        {
            return TypedResults.Forbid();
        }

        await using var db = await appDb.OpenAsync(scope, ct);
        return TypedResults.Ok(await state.GetAsync(db, ct));
    }

    private static async Task<Results<Ok<PipelineActivity>, NotFound, ForbidHttpResult, ProblemHttpResult, ValidationProblem>> DecideAsync(
        Guid id, DecisionRequest? body, Caller caller, PipelineServices s, string decision, CancellationToken ct)
    {
        if (body?.Note is { Length: > 1000 })
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["note"] = ["must be at most 1000 characters."] });
        }

        await using var db = await s.Db.OpenAsync(caller.Scope, ct);
        if (await s.Activities.FindAsync(db, id, ct) is not { } before || !caller.CanSee(before.TenantId))
        {
            return TypedResults.NotFound();
        }

        // Approval is the tenant's call: support staff and platform admins can look, not decide.
        if (!caller.IsTenantUser || caller.TenantId != before.TenantId)
        {
            return TypedResults.Forbid();
        }

        var after = await s.Activities.TransitionAsync(db, before.TenantId, id, ActivityStatus.AwaitingApproval, decision, caller.UserId.ToString(), body?.Note, ct);
        if (after is null)
        {
            return Conflict("Not awaiting approval", $"status: the activity is '{(await s.Activities.FindAsync(db, id, ct))?.Status}', only 'awaiting_approval' can be decided.");
        }

        var approved = decision == ActivityStatus.Completed;
        if (approved)
        {
            s.Metrics.Completed();
        }

        s.Audit.Record(new AuditRecord
        {
            Action = approved ? "activity.approved" : "activity.rejected",
            Category = "activity",
            TenantId = before.TenantId,
            ResourceType = "activity",
            ResourceId = id.ToString(),
            ResourceName = before.Kind,
            Description = approved ? "The agents' output was approved; the activity completed" : "The agents' output was rejected",
            Before = new { before.Status },
            After = new { after.Status, after.DecisionNote },
            Metadata = new { creationTraceId = before.TraceId },
        });
        return TypedResults.Ok(after);
    }

    public static async Task<Results<Ok<PipelineActivity>, NotFound, ForbidHttpResult, ProblemHttpResult>> RetryAsync(
        Guid id, Caller caller, [AsParameters] PipelineServices s, CancellationToken ct)
    {
        await using var db = await s.Db.OpenAsync(caller.Scope, ct);
        if (await s.Activities.FindAsync(db, id, ct) is not { } before || !caller.CanSee(before.TenantId))
        {
            return TypedResults.NotFound();
        }

        // A retry starts LLM work again: refused while the budget is spent, like a new activity.
        if (before.Status == ActivityStatus.DeadLetter && await s.Caps.GetAsync(db, before.TenantId, ct) is { IsOverCap: true } spend)
        {
            return SpendCapProblem.For(spend);
        }

        var after = await s.Activities.TransitionAsync(db, before.TenantId, id, ActivityStatus.DeadLetter, ActivityStatus.Queued, caller.UserId.ToString(), null, ct);
        if (after is null)
        {
            return Conflict("Not in the dead letter state", $"status: the activity is '{before.Status}', only 'dead_letter' can be retried.");
        }

        s.Audit.Record(new AuditRecord
        {
            Action = "activity.retried",
            Category = "activity",
            Severity = "warning",
            TenantId = before.TenantId,
            ResourceType = "activity",
            ResourceId = id.ToString(),
            ResourceName = before.Kind,
            Description = "A dead-lettered activity was put back in the queue",
            Before = new { before.Status, before.Attempts, before.LastError },
            After = new { after.Status, after.Attempts },
        });
        return TypedResults.Ok(after);
    }

    private static ProblemHttpResult Conflict(string title, string detail) =>
        TypedResults.Problem(new ProblemDetails { Status = 409, Title = title, Detail = detail });
}
