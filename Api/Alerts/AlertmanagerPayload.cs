namespace Api.Alerts;

/// <summary>Alertmanager's webhook body (version 4): the alerts of one notification group.</summary>
public sealed record AlertmanagerPayload(string? Version, string? Status, string? Receiver, IReadOnlyList<AlertmanagerAlert?>? Alerts);

/// <summary>One alert as Alertmanager sends it: its state, labels, annotations and the time it started (and ended).</summary>
public sealed record AlertmanagerAlert(
    string? Status, Dictionary<string, string>? Labels, Dictionary<string, string>? Annotations, DateTimeOffset? StartsAt,
    DateTimeOffset? EndsAt, string? GeneratorUrl, string? Fingerprint);

/// <summary>An alert that passed validation, ready to become a notification.</summary>
public sealed record ReceivedAlert(
    string Name, string Fingerprint, string Status, string Severity, string Summary, string? Description,
    IReadOnlyDictionary<string, string> Labels, DateTimeOffset StartsAt, DateTimeOffset? EndsAt, string? TenantSlug);
