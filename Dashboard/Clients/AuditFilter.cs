using System.Globalization;
using Microsoft.AspNetCore.WebUtilities;

namespace Dashboard.Clients;

/// <summary>What a list row shows of an entry, without the bulky parts (the detail drawer loads those by id).</summary>
public static class AuditEntryExtensions
{
    public static AuditEntry ForList(this AuditEntry entry) =>
        entry with { Before = null, After = null, Metadata = null, Error = null, UserAgent = null, Links = null, Hash = null, PrevHash = null };
}

/// <summary>
/// The audit log page's filters: AuditService's query string (<see cref="ToQuery"/>) and the page's own address
/// (<see cref="ToPageQuery"/>, <see cref="FromPageQuery"/>), so a filtered view is a link people can share.
/// </summary>
public sealed class AuditFilter
{
    /// <summary>What "Errors only" shows: everything above info, critical included.</summary>
    public static readonly string[] ErrorSeverities = ["warning", "error", "critical"];

    /// <summary>The date presets, a window ending now.</summary>
    public static readonly IReadOnlyDictionary<string, TimeSpan> Ranges = new Dictionary<string, TimeSpan>
    {
        ["1h"] = TimeSpan.FromHours(1), ["24h"] = TimeSpan.FromHours(24), ["7d"] = TimeSpan.FromDays(7), ["30d"] = TimeSpan.FromDays(30),
    };

    public const string DefaultRange = "7d";

    public Guid? Tenant { get; set; }
    public string? Action { get; set; }

    /// <summary>The actor's id (a user's id for people).</summary>
    public string? Actor { get; set; }

    /// <summary>One of <see cref="AuditVocabulary.ActorTypes"/>.</summary>
    public string? ActorType { get; set; }
    public string? ResourceType { get; set; }
    public string? Severity { get; set; }
    public bool ErrorsOnly { get; set; }

    /// <summary>A window ending now (a key of <see cref="Ranges"/>); when set it wins over <see cref="From"/> and <see cref="To"/>.</summary>
    public string? Range { get; set; }
    public DateTimeOffset? From { get; set; }
    public DateTimeOffset? To { get; set; }
    public string? Text { get; set; }

    /// <summary>No filter beyond the date window.</summary>
    public bool IsEmpty => Tenant is null && string.IsNullOrWhiteSpace(Action) && string.IsNullOrWhiteSpace(Actor) && ActorType is null
        && string.IsNullOrWhiteSpace(ResourceType) && Severity is null && !ErrorsOnly && string.IsNullOrWhiteSpace(Text);

    public AuditFilter Copy() => (AuditFilter)MemberwiseClone();

    /// <summary>The filter with its relative range fixed at <paramref name="now"/>: every page of one listing asks the same window.</summary>
    public AuditFilter At(DateTimeOffset now)
    {
        var fixedAt = Copy();
        if (Range is { } range && Ranges.TryGetValue(range, out var span))
        {
            (fixedAt.Range, fixedAt.From, fixedAt.To) = (null, now - span, null);
        }

        return fixedAt;
    }

    /// <summary>The same filters over the last 24 hours: the page's summary.</summary>
    public AuditFilter LastDay(DateTimeOffset now)
    {
        var day = Copy();
        (day.Range, day.From, day.To) = (null, now.AddHours(-24), null);
        return day;
    }

    /// <summary>AuditService's query string; a relative range is taken from now (fix it first with <see cref="At"/>).</summary>
    public string ToQuery(string? cursor = null, int? limit = null, DateTimeOffset? newerThan = null)
    {
        var window = Range is null ? this : At(DateTimeOffset.UtcNow);
        var parts = new List<string>();
        void Add(string name, string? value)
        {
            if (!string.IsNullOrWhiteSpace(value))
            {
                parts.Add($"{name}={Uri.EscapeDataString(value.Trim())}");
            }
        }

        Add("tenant", Tenant?.ToString());
        Add("action", Action);
        Add("actor", Actor);
        Add("actorType", ActorType);
        Add("resourceType", ResourceType);
        // The service takes several severities as the parameter repeated.
        var severities = ErrorsOnly ? ErrorSeverities : new[] { Severity };
        foreach (var severity in severities)
        {
            Add("severity", severity);
        }

        Add("from", (newerThan ?? window.From)?.ToString("O"));
        Add("to", window.To?.ToString("O"));
        Add("q", Text);
        Add("cursor", cursor);
        Add("limit", limit?.ToString(CultureInfo.InvariantCulture));
        return string.Join('&', parts);
    }

    /// <summary>The page's own query string: what a shared link carries (a range by name, so it stays relative to whoever opens it).</summary>
    public string ToPageQuery()
    {
        var query = new Dictionary<string, string?>
        {
            ["tenant"] = Tenant?.ToString(),
            ["actor"] = Actor,
            ["actorType"] = ActorType,
            ["action"] = Action,
            ["resourceType"] = ResourceType,
            ["severity"] = ErrorsOnly ? null : Severity,
            ["errors"] = ErrorsOnly ? "true" : null,
            ["q"] = Text,
            ["range"] = Range,
            ["from"] = Range is null ? From?.ToUniversalTime().ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture) : null,
            ["to"] = Range is null ? To?.ToUniversalTime().ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture) : null,
        };
        return QueryString.Create(query.Where(p => !string.IsNullOrWhiteSpace(p.Value))).ToUriComponent().TrimStart('?');
    }

    /// <summary>
    /// The filters a page address names. What does not parse is left out rather than refused: a link with a typo
    /// still opens the log; an unknown severity or actor type is dropped (the service would answer 400).
    /// </summary>
    public static AuditFilter FromPageQuery(string query)
    {
        var values = QueryHelpers.ParseQuery(query);
        string? One(string name) => values.TryGetValue(name, out var v) && !string.IsNullOrWhiteSpace(v.ToString()) ? v.ToString().Trim() : null;
        string? OneOf(string name, IEnumerable<string> allowed) => One(name) is { } v && allowed.Contains(v) ? v : null;
        DateTimeOffset? Time(string name) => DateTimeOffset.TryParse(One(name), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var t) ? t : null;

        var filter = new AuditFilter
        {
            Tenant = Guid.TryParse(One("tenant"), out var tenant) ? tenant : null,
            Actor = One("actor"),
            ActorType = OneOf("actorType", AuditVocabulary.ActorTypes),
            Action = One("action"),
            ResourceType = One("resourceType"),
            Severity = OneOf("severity", AuditVocabulary.Severities),
            ErrorsOnly = One("errors") is "true" or "1",
            Text = One("q"),
            From = Time("from"),
            To = Time("to"),
        };
        filter.Range = OneOf("range", Ranges.Keys) ?? (filter.From is null && filter.To is null ? DefaultRange : null);
        return filter;
    }
}
