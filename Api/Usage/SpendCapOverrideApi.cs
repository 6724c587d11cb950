using Api.Tenants;

namespace Api.Usage;

public static class SpendCapOverrideApi
{
    private const decimal MaxBudgetUsd = 1_000_000;

    public static RouteGroupBuilder MapSpendCapOverrideApi(this RouteGroupBuilder usage)
    {
        usage.MapPut("/caps/{tenantId:guid}/month", RaiseAsync).WithName("RaiseSpendCap")
            .WithSummary("Raises a tenant's LLM budget for the current month (super admins; audited with before and after).")
            .RequireAuthorization(p => p.RequireRole(Roles.SuperAdmin));
        return usage;
    }

    public static async Task<Results<Ok<TenantCapView>, ValidationProblem, NotFound>> RaiseAsync(
        Guid tenantId, RaiseSpendCapRequest request, Caller caller, AppDb appDb, SpendCaps caps, SpendCapOverrides overrides, IAuditLog audit, CancellationToken ct)
    {
        var errors = new Dictionary<string, string[]>();
        var reason = request.Reason?.Trim();
        if (string.IsNullOrEmpty(reason) || reason.Length > 500)
        {
            errors["reason"] = ["is required, at most 500 characters (why the cap is raised)."];
        }

        if (request.BudgetUsd is not { } budget || budget <= 0 || budget > MaxBudgetUsd)
        {
            errors["budgetUsd"] = [$"is required, above 0 and at most {MaxBudgetUsd:0}."];
        }

        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors);
        }

        await using var db = await appDb.OpenAsync(caller.Scope, ct);
        await db.BeginTransactionAsync(ct);
        var before = await LockedSpendAsync(db, caps, tenantId, ct);
        if (before is null)
        {
            return TypedResults.NotFound();
        }

        var planBudget = caps.PlanBudgetUsd(before.Plan);
        if (request.BudgetUsd < planBudget)
        {
            errors["budgetUsd"] = [$"must be at least the {before.Plan} plan's budget of {Usd.Text(planBudget)}: an override raises the cap, it never lowers it."];
        }
        else if (request.BudgetUsd <= before.SpentUsd)
        {
            errors["budgetUsd"] = [$"must be above this month's spend of {Usd.Text(before.SpentUsd)}, or the cap stays reached."];
        }

        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors);
        }

        await overrides.SetAsync(db, before, request.BudgetUsd!.Value, caller.UserId, reason!, ct);
        var after = await caps.GetAsync(db, tenantId, ct);
        await db.CommitAsync(ct);
        audit.RecordTenantChange("llm.spend_cap.raised", tenantId, after.Slug,
            $"LLM budget of '{after.Slug}' for {after.Month:yyyy-MM} raised from {Usd.Text(before.BudgetUsd)} to {Usd.Text(after.BudgetUsd)}",
            new { budgetUsd = before.BudgetUsd, raised = before.Raised, spentUsd = before.SpentUsd, plan = before.Plan },
            new { budgetUsd = after.BudgetUsd, raised = after.Raised, month = after.Month.ToString("yyyy-MM"), reason });
        return TypedResults.Ok(after.View());
    }

    // The tenant's row is locked for the transaction, so two raises at once are applied one after the other.
    private static async Task<TenantSpend?> LockedSpendAsync(DbScope db, SpendCaps caps, Guid tenantId, CancellationToken ct)
    {
        await using (var command = db.Command("SELECT 1 FROM tenants WHERE id = @tenant FOR UPDATE"))
        {
            command.Parameters.AddWithValue("tenant", tenantId);
            if (await command.ExecuteScalarAsync(ct) is null)
            {
                return null;
            }
        }

        return await caps.GetAsync(db, tenantId, ct);
    }
}
