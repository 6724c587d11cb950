using System.Diagnostics;
using System.Security.Cryptography;
using System.Text;
using Api.Usage;
using Microsoft.Extensions.AI;

namespace Api.Llm;

/// <summary>
/// The one way the Api calls an LLM: checks the tenant's spend cap, calls through the instrumented
/// <see cref="IChatClient"/> pipeline, prices the tokens, records the call and its rollup, and announces
/// budget thresholds. Refusals and failures are recorded too. Its database work runs in the calling tenant's scope, in
/// units of work before and after the provider call, so no pooled connection waits on the provider.
/// </summary>
public sealed class LlmGateway(
    IChatClient chat,
    AppDb appDb,
    IOptionsMonitor<LlmOptions> options,
    LlmCallStore store,
    SpendCaps caps,
    UsageMetrics metrics,
    IAuditLog audit,
    TimeProvider clock)
{
    public async Task<LlmResult> CompleteAsync(LlmCaller caller, IReadOnlyList<ChatMessage> messages, CancellationToken ct)
    {
        var o = options.CurrentValue;
        var provider = o.ProviderName;
        var model = o.Model;
        var inputHash = HashOf(messages);
        var scope = TenantScope.Of(caller.TenantId);

        TenantSpend spend;
        await using (var db = await appDb.OpenAsync(scope, ct))
        {
            spend = await EnforcedAsync(caller, async () =>
            {
                var current = await caps.GetAsync(db, caller.TenantId, ct);
                if (current.IsOverCap)
                {
                    await caps.AnnounceCrossingsAsync(db, current, ct);
                }

                return current;
            });
            if (spend.IsOverCap)
            {
                await RefuseAsync(db, caller, spend, provider, model, inputHash, ct);
            }
        }

        var price = o.FindPrice(provider, model)!;
        var started = clock.GetTimestamp();
        ChatResponse response;
        try
        {
            response = await chat.GetResponseAsync(messages, new ChatOptions { ModelId = model }, ct);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !ct.IsCancellationRequested)
        {
            // Logged once, by the caller that decides what the failure means (a retry, a dead letter).
            var failedAfter = clock.GetElapsedTime(started).TotalMilliseconds;
            await using var db = await appDb.OpenAsync(scope, CancellationToken.None);
            await SaveAsync(db, caller, spend.Slug, provider, model, default, 0, failedAfter, LlmOutcomes.Error, ex.Message, ex.GetType().FullName,
                inputHash, null, CancellationToken.None);
            throw;
        }

        var latency = clock.GetElapsedTime(started).TotalMilliseconds;
        var usage = response.Usage;
        var tokens = new TokenUsage(usage?.InputTokenCount ?? 0, usage?.CachedInputTokenCount ?? 0, usage?.OutputTokenCount ?? 0);
        var cost = LlmCost.Of(tokens, price);
        var text = response.Text;
        var preview = o.StoreOutputPreview ? OutputRedactor.Preview(text, o.OutputPreviewLength) : null;
        await using (var db = await appDb.OpenAsync(scope, ct))
        {
            var id = await SaveAsync(db, caller, spend.Slug, provider, model, tokens, cost, latency, LlmOutcomes.Success, null, null, inputHash, preview, ct);
            await EnforcedAsync(caller, async () =>
            {
                var after = await caps.GetAsync(db, caller.TenantId, ct);
                await caps.AnnounceCrossingsAsync(db, after, ct);
                return after;
            });
            return new LlmResult(id, text, tokens, cost, latency, model);
        }
    }

    /// <summary>
    /// A step of the spend cap's enforcement (reading the month's spend, recording a crossing). When it fails, the tenant's
    /// budget is not being enforced: a critical audit entry says so (the CriticalAuditEntry alert pages on it), and the
    /// failure goes on to the caller, so no call is made unchecked.
    /// </summary>
    private async Task<TenantSpend> EnforcedAsync(LlmCaller caller, Func<Task<TenantSpend>> step)
    {
        try
        {
            return await step();
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            audit.Record(new AuditRecord
            {
                Action = "llm.spend_cap.enforcement_failed",
                Severity = "critical",
                TenantId = caller.TenantId,
                Actor = AuditActor.System("spend-caps"),
                ResourceType = "tenant",
                ResourceId = caller.TenantId.ToString(),
                Description = "The tenant's LLM spend cap could not be enforced: reading this month's spend or recording a threshold failed",
                Metadata = new { stage = caller.Stage, activityId = caller.ActivityId },
                Error = ex,
            });
            throw;
        }
    }

    /// <summary>Records the refused call and throws: the tenant's budget is spent.</summary>
    private async Task RefuseAsync(DbScope db, LlmCaller caller, TenantSpend spend, string provider, string model, string inputHash, CancellationToken ct)
    {
        var reason = $"Spend cap reached: the monthly LLM budget of {Usd.Text(spend.BudgetUsd)} is spent ({Usd.Text(spend.SpentUsd)}); " +
            "calls are refused until the month turns, the plan changes or a super admin raises the cap.";
        await SaveAsync(db, caller, spend.Slug, provider, model, default, 0, 0, LlmOutcomes.RefusedCap, reason, null, inputHash, null, ct);
        audit.Record(new AuditRecord
        {
            Action = "llm.call.refused",
            Severity = "warning",
            TenantId = caller.TenantId,
            Actor = ActorOf(caller),
            ResourceType = caller.ActivityId is null ? "tenant" : "activity",
            ResourceId = (caller.ActivityId ?? caller.TenantId).ToString(),
            Description = reason,
            Metadata = new { outcome = LlmOutcomes.RefusedCap, provider, model, stage = caller.Stage, spentUsd = spend.SpentUsd, budgetUsd = spend.BudgetUsd },
        });
        throw new SpendCapExceededException(reason);
    }

    private async Task<Guid> SaveAsync(DbScope db, LlmCaller caller, string tenantSlug, string provider, string model, TokenUsage tokens, decimal cost,
        double latency, string outcome, string? error, string? errorType, string inputHash, string? preview, CancellationToken ct)
    {
        var id = Guid.CreateVersion7(clock.GetUtcNow());
        await store.SaveAsync(db, new LlmCallRecord(id, caller, provider, model, tokens, cost, latency, outcome, error, inputHash, preview,
            Activity.Current?.TraceId.ToHexString(), clock.GetUtcNow()), ct);
        metrics.Call(new LlmCallMeasurement(tenantSlug, provider, model, caller.RoleLabel, outcome, errorType, latency,
            tokens.Input, tokens.CachedInput, tokens.Output, cost));
        return id;
    }

    private static AuditActor? ActorOf(LlmCaller caller) => caller.ActorType == "agent" ? AuditActor.Agent(caller.Actor) : null;

    /// <summary>SHA-256 of the prompt (roles and texts), so repeated inputs can be found without storing them.</summary>
    public static string HashOf(IEnumerable<ChatMessage> messages)
    {
        var canonical = string.Join("\n", messages.Select(m => $"{m.Role.Value}:{m.Text}"));
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(canonical)));
    }
}
