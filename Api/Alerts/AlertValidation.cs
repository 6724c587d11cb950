using System.Text.RegularExpressions;

namespace Api.Alerts;

/// <summary>Checks Alertmanager's body field by field; every problem is named by its path (e.g. alerts[0].labels.alertname).</summary>
public static partial class AlertValidation
{
    public const int MaxAlerts = 1000;

    public static IReadOnlyList<ReceivedAlert> Validate(AlertmanagerPayload payload, Dictionary<string, string[]> errors)
    {
        if (payload.Version != "4")
        {
            errors["version"] = ["must be \"4\" (Alertmanager's webhook format)."];
        }

        if (payload.Alerts is not { Count: > 0 and <= MaxAlerts } alerts)
        {
            errors["alerts"] = [$"must hold 1 to {MaxAlerts} alerts."];
            return [];
        }

        var received = new List<ReceivedAlert>(alerts.Count);
        for (var i = 0; i < alerts.Count; i++)
        {
            if (Validate(alerts[i], $"alerts[{i}]", errors) is { } alert)
            {
                received.Add(alert);
            }
        }

        return received;
    }

    private static ReceivedAlert? Validate(AlertmanagerAlert? alert, string path, Dictionary<string, string[]> errors)
    {
        var before = errors.Count;
        if (alert is null)
        {
            errors[path] = ["must be an alert object."];
            return null;
        }

        if (alert.Status is not ("firing" or "resolved"))
        {
            errors[$"{path}.status"] = ["must be firing or resolved."];
        }

        var labels = alert.Labels ?? [];
        var name = labels.GetValueOrDefault("alertname");
        if (string.IsNullOrWhiteSpace(name) || name.Length > 200)
        {
            errors[$"{path}.labels.alertname"] = ["is required, at most 200 characters."];
        }

        if (alert.Fingerprint is null || !Fingerprint().IsMatch(alert.Fingerprint))
        {
            errors[$"{path}.fingerprint"] = ["must be Alertmanager's hexadecimal fingerprint (at most 64 digits)."];
        }

        if (alert.StartsAt is null)
        {
            errors[$"{path}.startsAt"] = ["is required."];
        }

        if (labels.Count > 50 || labels.Any(l => l.Key.Length > 100 || l.Value.Length > 1000))
        {
            errors[$"{path}.labels"] = ["at most 50 labels, names up to 100 and values up to 1000 characters."];
        }

        if (errors.Count != before)
        {
            return null;
        }

        var annotations = alert.Annotations ?? [];
        var summary = annotations.GetValueOrDefault("summary") is { Length: > 0 } s ? s : name!;
        // Alertmanager sends the zero time (0001-01-01) as the end of an alert that is still firing.
        var endsAt = alert.EndsAt is { Year: > 1 } end ? end : (DateTimeOffset?)null;
        return new ReceivedAlert(name!, alert.Fingerprint!, alert.Status!, labels.GetValueOrDefault("severity") ?? "none",
            Cut(summary, 500), annotations.GetValueOrDefault("description") is { Length: > 0 } d ? Cut(d, 2000) : null, labels,
            alert.StartsAt!.Value, endsAt, labels.GetValueOrDefault("tenant"));
    }

    private static string Cut(string value, int max) => value.Length <= max ? value : value[..max];

    [GeneratedRegex("^[0-9a-f]{1,64}$")]
    private static partial Regex Fingerprint();
}
