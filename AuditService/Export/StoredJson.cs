namespace AuditService.Export;

/// <summary>JSON text as PostgreSQL's jsonb prints it, without the whitespace between tokens.</summary>
public static class StoredJson
{
    /// <summary>Copies <paramref name="json"/> (valid JSON) into <paramref name="destination"/> without insignificant whitespace; returns the length.</summary>
    public static int Compact(ReadOnlySpan<char> json, Span<char> destination)
    {
        var n = 0;
        var inString = false;
        var escaped = false;
        foreach (var c in json)
        {
            if (inString)
            {
                if (escaped)
                {
                    escaped = false;
                }
                else if (c == '\\')
                {
                    escaped = true;
                }
                else if (c == '"')
                {
                    inString = false;
                }
            }
            else if (c is ' ' or '\n' or '\r' or '\t')
            {
                continue;
            }
            else if (c == '"')
            {
                inString = true;
            }

            destination[n++] = c;
        }

        return n;
    }
}
