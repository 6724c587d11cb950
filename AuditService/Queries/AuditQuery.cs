namespace AuditService.Queries;

/// <summary>The filters of the read API, validated; the tenant scope is applied separately, from the token.</summary>
/// <remarks>
/// <see cref="Severities"/> and <see cref="ActorTypes"/> match any of their values (null = no filter): the query string
/// repeats the parameter, <c>severity=warning&amp;severity=error</c>, as ASP.NET Core binds an array.
/// </remarks>
public sealed record AuditQuery(
    Guid? Tenant, string? Actor, IReadOnlyList<string>? ActorTypes, string? Action, bool ActionIsPrefix, string? Category,
    IReadOnlyList<string>? Severities, string? ResourceType, string? ResourceId, DateTimeOffset? From, DateTimeOffset? To, string? Text,
    int Limit, PageCursor? Cursor);

/// <summary>The query string of the read and export endpoints, as bound by ASP.NET Core.</summary>
public sealed class AuditQueryParameters
{
    public const int DefaultLimit = 50;
    public const int MaxLimit = 200;

    /// <summary>The range a time filter may name: wide enough for any log, narrow enough that windows computed from it stay dates.</summary>
    public static readonly DateTimeOffset Earliest = new(1970, 1, 1, 0, 0, 0, TimeSpan.Zero), Latest = new(9999, 1, 1, 0, 0, 0, TimeSpan.Zero);

    public Guid? Tenant { get; set; }

    /// <summary>The first read API's spelling of <see cref="Tenant"/>, still accepted.</summary>
    public Guid? TenantId { get; set; }
    public string? Actor { get; set; }

    /// <summary>Repeated for several: <c>actorType=human&amp;actorType=api_key</c>.</summary>
    public string[]? ActorType { get; set; }
    public string? Action { get; set; }
    public string? Category { get; set; }

    /// <summary>Repeated for several: <c>severity=warning&amp;severity=error&amp;severity=critical</c>.</summary>
    public string[]? Severity { get; set; }
    public string? ResourceType { get; set; }
    public string? ResourceId { get; set; }
    public DateTimeOffset? From { get; set; }
    public DateTimeOffset? To { get; set; }
    public string? Q { get; set; }
    public int? Limit { get; set; }
    public string? Cursor { get; set; }

    public AuditQuery? Validate(Dictionary<string, string[]> errors)
    {
        if (Limit is < 1 or > MaxLimit)
        {
            errors["limit"] = [$"must be between 1 and {MaxLimit}."];
        }

        if (Category is not null && !Audit.Contracts.AuditVocabulary.Categories.Contains(Category))
        {
            errors["category"] = [$"must be one of: {string.Join(", ", Audit.Contracts.AuditVocabulary.Categories)}."];
        }

        var severities = OneOrMoreOf(Severity, Audit.Contracts.AuditVocabulary.Severities, "severity", errors);
        var actorTypes = OneOrMoreOf(ActorType, Audit.Contracts.AuditVocabulary.ActorTypes, "actorType", errors);

        foreach (var (name, value) in new[] { ("from", From), ("to", To) })
        {
            if (value is { } at && (at < Earliest || at > Latest))
            {
                errors[name] = [$"must be between {Earliest:yyyy-MM-dd} and {Latest:yyyy-MM-dd}."];
            }
        }

        if (From is { } from && To is { } to && from > to)
        {
            errors["from"] = ["must not be after 'to'."];
        }

        foreach (var (name, value, max) in new[] { ("actor", Actor, 200), ("action", Action, 101), ("resourceType", ResourceType, 100), ("resourceId", ResourceId, 200), ("q", Q, 200) })
        {
            if (value is not null && (value.Length == 0 || value.Length > max))
            {
                errors[name] = [$"must be 1 to {max} characters."];
            }
        }

        var prefix = Action?.EndsWith(".*", StringComparison.Ordinal) == true;
        var action = prefix ? Action![..^1] : Action;
        if (action is not null && action.IndexOfAny(['*', '%']) >= 0)
        {
            errors["action"] = ["is an exact action or a prefix ending in '.*', e.g. 'user.*'."];
        }

        PageCursor? cursor = null;
        if (Cursor is not null && !PageCursor.TryParse(Cursor, out cursor))
        {
            errors["cursor"] = ["is not a cursor this API returned."];
        }

        return errors.Count > 0 ? null
            : new AuditQuery(Tenant ?? TenantId, Actor, actorTypes, action, prefix, Category, severities, ResourceType, ResourceId, From, To, Q,
                Limit ?? DefaultLimit, cursor);
    }

    /// <summary>
    /// The distinct values of a repeated parameter, each one of <paramref name="allowed"/>; null when it is absent. A value
    /// outside the vocabulary (a comma list included: the parameter is repeated, not split) is refused, never ignored.
    /// </summary>
    private static string[]? OneOrMoreOf(string[]? values, string[] allowed, string name, Dictionary<string, string[]> errors)
    {
        if (values is not { Length: > 0 })
        {
            return null;
        }

        if (values.FirstOrDefault(v => !allowed.Contains(v)) is { } unknown)
        {
            errors[name] = [$"'{unknown}' is not one of: {string.Join(", ", allowed)} (repeat the parameter for several)."];
            return null;
        }

        return [.. values.Distinct()];
    }
}
