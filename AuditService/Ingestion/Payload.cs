using System.Runtime.InteropServices;

namespace AuditService.Ingestion;

/// <summary>
/// A payload field of an event (before, after, metadata) as read from the body: absent, its canonical text (what is
/// stored and hashed), or what is wrong with it. Read in place from the request body, never kept as a JsonDocument.
/// </summary>
public readonly record struct Payload(string? Canonical, string? Problem)
{
    /// <summary>jsonb holds any depth, but a payload deeper than this is a mistake, and every reader would walk it.</summary>
    public static readonly CanonicalJson.Limits Limits = new(MaxDepth: 32);

    /// <summary>The value the reader is on, read to its end.</summary>
    public static Payload Read(ref Utf8JsonReader reader)
    {
        switch (reader.TokenType)
        {
            case JsonTokenType.Null:
                return default;
            case JsonTokenType.StartObject:
                var canonical = CanonicalJson.Read(ref reader, Limits, out var problem);
                return new Payload(canonical, problem);
            default:
                var kind = reader.TokenType switch
                {
                    JsonTokenType.StartArray => "array",
                    JsonTokenType.String => "string",
                    JsonTokenType.Number => "number",
                    JsonTokenType.True => "true",
                    _ => "false",
                };
                reader.Skip();
                return new Payload(null, $"must be a JSON object, not {kind}.");
        }
    }

    /// <summary>A payload given as an element (an event built in code rather than read from a body).</summary>
    public static Payload Of(JsonElement? element)
    {
        if (element is not { ValueKind: not JsonValueKind.Null and not JsonValueKind.Undefined } value)
        {
            return default;
        }

        var reader = new Utf8JsonReader(JsonMarshal.GetRawUtf8Value(value));
        reader.Read();
        return Read(ref reader);
    }
}
