using System.Diagnostics;
using System.Security.Claims;
using Api.Contracts;
using Audit.Contracts;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Audit.Client;

/// <summary>
/// Fills an event from the current request and span, marks the span with it, and hands it to the
/// background sender. All of this is in memory and bounded; nothing here waits on the network.
/// </summary>
internal sealed partial class AuditLog(
    IHttpContextAccessor http, AuditQueue queue, IOptions<AuditClientOptions> options, TimeProvider clock, ILogger<AuditLog> logger) : IAuditLog
{
    public const string TenantClaim = TokenClaims.Tenant;

    public Guid Record(AuditRecord record)
    {
        var id = Guid.CreateVersion7(clock.GetUtcNow());
        try
        {
            var context = http.HttpContext;
            var activity = Activity.Current;
            var user = context?.User;
            var dto = new AuditEventDto
            {
                Id = id,
                TenantId = record.TenantId ?? TenantOf(user),
                OccurredAt = record.OccurredAt ?? clock.GetUtcNow(),
                Actor = Actor(record.Actor, user),
                Action = record.Action,
                Category = record.Category,
                Severity = record.Severity,
                Resource = record.ResourceType is null ? null
                    : new ResourceDto { Type = record.ResourceType, Id = record.ResourceId, Name = record.ResourceName },
                Description = record.Description,
                Error = record.Error is { } ex ? new ErrorDto { Message = ex.Message, Stack = ex.StackTrace }
                    : record.ErrorMessage is { } message ? new ErrorDto { Message = message } : null,
                IpAddress = context?.Connection.RemoteIpAddress?.ToString(),
                UserAgent = context?.Request.Headers.UserAgent.ToString() is { Length: > 0 } ua ? ua : null,
                TraceId = activity?.TraceId.ToHexString(),
                SpanId = activity?.SpanId.ToHexString(),
                SourceService = options.Value.SourceService,
            };

            // The audited action shows in the trace's waterfall, linked by the event id.
            activity?.AddEvent(new ActivityEvent("audit.recorded", tags: new ActivityTagsCollection
            {
                ["audit.action"] = record.Action,
                ["audit.event_id"] = id.ToString(),
            }));
            queue.Enqueue(new PendingEvent(dto, record.Before, record.After, record.Metadata, activity?.Context ?? default));

            // The action's own log line, inside the span that recorded it: "logs for this trace" always finds the audited
            // action, whatever the endpoint logs itself. Action and resource type are code-defined names, never user text.
            LogRecorded(logger, record.Action, record.ResourceType, id);
        }
        catch (Exception ex)
        {
            // Recording must never break the request that records; the failure is counted and logged.
            queue.ReportRecordFailure(ex);
        }

        return id;
    }

    [LoggerMessage(EventId = 5300, Level = LogLevel.Information, Message = "Audit event {AuditAction} recorded on {ResourceType} ({AuditEventId})")]
    private static partial void LogRecorded(ILogger logger, string auditAction, string? resourceType, Guid auditEventId);

    private static Guid? TenantOf(ClaimsPrincipal? user) =>
        Guid.TryParse(user?.FindFirstValue(TenantClaim), out var tenant) ? tenant : null;

    private static ActorDto Actor(AuditActor? actor, ClaimsPrincipal? user)
    {
        if (actor is not null)
        {
            return new ActorDto { Type = actor.Type, Id = actor.Id, Name = actor.Name, Email = actor.Email };
        }

        if (user?.Identity?.IsAuthenticated == true)
        {
            return new ActorDto
            {
                Type = "human",
                Id = user.FindFirstValue("sub") ?? user.FindFirstValue(ClaimTypes.NameIdentifier) ?? "unknown",
                Name = user.FindFirstValue("name") ?? user.FindFirstValue(ClaimTypes.Name),
                Email = user.FindFirstValue("email") ?? user.FindFirstValue(ClaimTypes.Email),
            };
        }

        return new ActorDto { Type = "system", Id = "anonymous", Name = "Anonymous" };
    }
}
