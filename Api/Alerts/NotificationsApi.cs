namespace Api.Alerts;

public static class NotificationsApi
{
    public static IEndpointRouteBuilder MapNotificationsApi(this IEndpointRouteBuilder app)
    {
        // Alerts are for the people who act on them: the platform's admins, and a tenant's admins for their tenant.
        var notifications = app.MapGroup("/api/notifications").WithTags("Notifications")
            .RequireAuthorization(p => p.RequireRole(Roles.SuperAdmin, Roles.TenantAdmin));
        notifications.MapGet("/", ListAsync).WithName("ListNotifications")
            .WithSummary("The newest notifications the caller may see (limit 1-200, default 50) and the unread count.");
        notifications.MapPost("/{id:guid}/read", MarkReadAsync).WithName("MarkNotificationRead").WithSummary("Marks one notification read for the caller.");
        notifications.MapPost("/read", MarkAllReadAsync).WithName("MarkAllNotificationsRead").WithSummary("Marks every notification read for the caller.");
        return app;
    }

    public static async Task<Results<Ok<NotificationList>, ValidationProblem>> ListAsync(
        int? limit, Caller caller, NotificationStore store, CancellationToken ct)
    {
        if (limit is < 1 or > 200)
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["limit"] = ["must be between 1 and 200."] });
        }

        return TypedResults.Ok(await store.ListAsync(caller.UserId, caller.TenantId, limit ?? 50, ct));
    }

    public static async Task<Results<NoContent, NotFound>> MarkReadAsync(Guid id, Caller caller, NotificationStore store, CancellationToken ct) =>
        await store.MarkReadAsync(caller.UserId, caller.TenantId, id, ct) ? TypedResults.NoContent() : TypedResults.NotFound();

    public static async Task<NoContent> MarkAllReadAsync(Caller caller, NotificationStore store, CancellationToken ct)
    {
        await store.MarkReadAsync(caller.UserId, caller.TenantId, null, ct);
        return TypedResults.NoContent();
    }
}
