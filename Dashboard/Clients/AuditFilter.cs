using System.Text.Json;
using Audit.Contracts;

namespace Dashboard.Clients;

/// <summary>What a list row shows of an entry, without the bulky parts (the detail drawer loads those by id).</summary>
public static class AuditEntryExtensions
{
    public static AuditEntry ForList(this AuditEntry entry) =>
        entry with { Before = null, After = null, Metadata = null, Error = null, UserAgent = null, Links = null };
}

/// <summary>The audit log page's filters, as AuditService's query string.</summary>
public sealed class AuditFilter
{
    public Guid? Tenant { get; set; }
    public string? Action { get; set; }
    public string? Actor { get; set; }
    public string? ResourceType { get; set; }
    public string? Severity { get; set; }
    public bool ErrorsOnly { get; set; }
    public DateTimeOffset? From { get; set; }
    public DateTimeOffset? To { get; set; }
    public string? Text { get; set; }

    /// <summary>No filter beyond the default date window.</summary>
    public bool IsEmpty => Tenant is null && string.IsNullOrWhiteSpace(Action) && string.IsNullOrWhiteSpace(Actor)
        && string.IsNullOrWhiteSpace(ResourceType) && Severity is null && !ErrorsOnly && string.IsNullOrWhiteSpace(Text);

    public string ToQuery(string? cursor = null, int? limit = null, DateTimeOffset? newerThan = null)
    {
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
        Add("resourceType", ResourceType);
        // "Errors only" asks for severity error; critical entries are shown by their own filter value.
        Add("severity", ErrorsOnly ? "error" : Severity);
        Add("from", (newerThan ?? From)?.ToString("O"));
        Add("to", To?.ToString("O"));
        Add("q", Text);
        Add("cursor", cursor);
        Add("limit", limit?.ToString(System.Globalization.CultureInfo.InvariantCulture));
        return string.Join('&', parts);
    }
}
