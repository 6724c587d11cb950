namespace AuditService.Queries;

/// <summary>A field-level diff of two JSON values: objects are compared key by key, everything else as a whole.</summary>
public static class FieldDiff
{
    public static IReadOnlyList<FieldChange> Compare(JsonElement? before, JsonElement? after)
    {
        // A created or deleted resource has no state on one side: list its fields one by one all the same.
        var empty = JsonDocument.Parse("{}").RootElement;
        before ??= after is { ValueKind: JsonValueKind.Object } ? empty : null;
        after ??= before is { ValueKind: JsonValueKind.Object } ? empty : null;
        var changes = new List<FieldChange>();
        Walk("$", before, after, changes);
        return changes;
    }

    private static void Walk(string path, JsonElement? before, JsonElement? after, List<FieldChange> changes)
    {
        if (before is { ValueKind: JsonValueKind.Object } b && after is { ValueKind: JsonValueKind.Object } a)
        {
            var keys = b.EnumerateObject().Select(p => p.Name).Union(a.EnumerateObject().Select(p => p.Name)).Order(StringComparer.Ordinal);
            foreach (var key in keys)
            {
                Walk($"{path}.{key}", b.TryGetProperty(key, out var bv) ? bv : null, a.TryGetProperty(key, out var av) ? av : null, changes);
            }

            return;
        }

        if (before is null && after is null)
        {
            return;
        }

        if (before is null)
        {
            changes.Add(new FieldChange(path, "added", null, after));
        }
        else if (after is null)
        {
            changes.Add(new FieldChange(path, "removed", before, null));
        }
        else if (!JsonElement.DeepEquals(before.Value, after.Value))
        {
            changes.Add(new FieldChange(path, "changed", before, after));
        }
    }
}
