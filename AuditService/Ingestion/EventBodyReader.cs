namespace AuditService.Ingestion;

/// <summary>
/// Reads a request body into events with one <see cref="Utf8JsonReader"/> pass, by the rules the serializer's Web defaults
/// would follow with unmapped members disallowed (property names matched ignoring case, unknown properties refused, depth at
/// most 64, nothing after the value), without its per-property machinery: parsing was the largest stage of ingest's CPU
/// (docs/benchmarks.md). A key given twice is refused too: read as its last value, what is stored (and hashed) would silently
/// differ from what other readers of the same body see. A refusal is a <see cref="JsonException"/> whose
/// <see cref="JsonException.Path"/> names where it happened; no user text goes into its message.
/// </summary>
public static class EventBodyReader
{
    private static readonly JsonReaderOptions Options = new() { MaxDepth = 64 };

    /// <summary>A batch (the body is an array) or one event; a JSON null stands as a null event.</summary>
    public static List<IncomingEvent?> Read(ReadOnlySpan<byte> body, bool isBatch)
    {
        var reader = new Utf8JsonReader(body, Options);
        var path = new JsonPath();
        try
        {
            Next(ref reader, path);
            List<IncomingEvent?> events;
            if (isBatch)
            {
                if (reader.TokenType != JsonTokenType.StartArray)
                {
                    throw path.Error("The JSON value could not be converted to a list of events.");
                }

                events = [];
                while (Next(ref reader, path) != JsonTokenType.EndArray)
                {
                    path.Index = events.Count;
                    events.Add(Event(ref reader, path));
                }

                path.Index = null;
            }
            else
            {
                events = [Event(ref reader, path)];
            }

            if (reader.Read())
            {
                throw path.Error("The JSON value has content after its end.");
            }

            return events;
        }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException)
        {
            // Ours, the reader's (bad syntax, too deep: a position, not a path) and invalid UTF-8 alike, with where.
            throw new JsonException(ex.Message, path.Text(body), null, null);
        }
    }

    private static IncomingEvent? Event(ref Utf8JsonReader reader, JsonPath path)
    {
        if (reader.TokenType == JsonTokenType.Null)
        {
            return null;
        }

        var e = new AuditEventDto();
        Payload before = default, after = default, metadata = default;
        var seen = 0;
        Object(ref reader, path, "an event");
        while (Property(ref reader, path, out var name))
        {
            var slot = EventSlot(ref reader, name);
            Claim(ref seen, slot, path);
            Next(ref reader, path);
            switch (slot)
            {
                case 0: e.Id = Guid(ref reader, path); break;
                case 1: e.TenantId = Guid(ref reader, path); break;
                case 2: e.OccurredAt = Time(ref reader, path); break;
                case 3: e.Actor = Actor(ref reader, path); break;
                case 4: e.Action = Text(ref reader, path); break;
                case 5: e.Category = Text(ref reader, path); break;
                case 6: e.Severity = Text(ref reader, path); break;
                case 7: e.Resource = Resource(ref reader, path); break;
                case 8: e.Description = Text(ref reader, path); break;
                case 9: before = Payload.Read(ref reader); break;
                case 10: after = Payload.Read(ref reader); break;
                case 11: metadata = Payload.Read(ref reader); break;
                case 12: e.Error = Error(ref reader, path); break;
                case 13: e.IpAddress = Text(ref reader, path); break;
                case 14: e.UserAgent = Text(ref reader, path); break;
                case 15: e.TraceId = Text(ref reader, path); break;
                case 16: e.SpanId = Text(ref reader, path); break;
                default: e.SourceService = Text(ref reader, path); break;
            }

            path.Pop();
        }

        return new IncomingEvent(e, before, after, metadata);
    }

    private static readonly string[] EventNames =
        ["id", "tenantId", "occurredAt", "actor", "action", "category", "severity", "resource", "description", "before", "after",
         "metadata", "error", "ipAddress", "userAgent", "traceId", "spanId", "sourceService"];

    private static int EventSlot(ref Utf8JsonReader reader, string? name)
    {
        // The usual spelling without a string (the serializer's camelCase), told apart by length first: this runs for every
        // property of every event.
        if (name is null)
        {
            var raw = reader.ValueSpan;
            var slot = raw.Length switch
            {
                2 => raw.SequenceEqual("id"u8) ? 0 : -1,
                5 => raw.SequenceEqual("actor"u8) ? 3 : raw.SequenceEqual("after"u8) ? 10 : raw.SequenceEqual("error"u8) ? 12 : -1,
                6 => raw.SequenceEqual("action"u8) ? 4 : raw.SequenceEqual("before"u8) ? 9 : raw.SequenceEqual("spanId"u8) ? 16 : -1,
                7 => raw.SequenceEqual("traceId"u8) ? 15 : -1,
                8 => raw.SequenceEqual("tenantId"u8) ? 1 : raw.SequenceEqual("category"u8) ? 5 : raw.SequenceEqual("severity"u8) ? 6
                    : raw.SequenceEqual("resource"u8) ? 7 : raw.SequenceEqual("metadata"u8) ? 11 : -1,
                9 => raw.SequenceEqual("ipAddress"u8) ? 13 : raw.SequenceEqual("userAgent"u8) ? 14 : -1,
                10 => raw.SequenceEqual("occurredAt"u8) ? 2 : -1,
                11 => raw.SequenceEqual("description"u8) ? 8 : -1,
                13 => raw.SequenceEqual("sourceService"u8) ? 17 : -1,
                _ => -1,
            };
            if (slot >= 0)
            {
                return slot;
            }

            name = reader.GetString()!;
        }

        return Slot(EventNames, name);
    }

    private static readonly string[] ActorNames = ["type", "id", "name", "email"];
    private static readonly string[] ResourceNames = ["type", "id", "name"];
    private static readonly string[] ErrorNames = ["message", "stack"];

    private static ActorDto? Actor(ref Utf8JsonReader reader, JsonPath path) => Strings<ActorDto>(ref reader, path, "an actor",
        static (ref r, name) => name is null && r.ValueTextEquals("type"u8) ? 0 : name is null && r.ValueTextEquals("id"u8) ? 1
            : name is null && r.ValueTextEquals("name"u8) ? 2 : name is null && r.ValueTextEquals("email"u8) ? 3
            : Slot(ActorNames, name ?? r.GetString()!),
        static (actor, slot, value) => _ = slot switch { 0 => actor.Type = value, 1 => actor.Id = value, 2 => actor.Name = value, _ => actor.Email = value });

    private static ResourceDto? Resource(ref Utf8JsonReader reader, JsonPath path) => Strings<ResourceDto>(ref reader, path, "a resource",
        static (ref r, name) => name is null && r.ValueTextEquals("type"u8) ? 0 : name is null && r.ValueTextEquals("id"u8) ? 1
            : name is null && r.ValueTextEquals("name"u8) ? 2 : Slot(ResourceNames, name ?? r.GetString()!),
        static (resource, slot, value) => _ = slot switch { 0 => resource.Type = value, 1 => resource.Id = value, _ => resource.Name = value });

    private static ErrorDto? Error(ref Utf8JsonReader reader, JsonPath path) => Strings<ErrorDto>(ref reader, path, "an error",
        static (ref r, name) => name is null && r.ValueTextEquals("message"u8) ? 0 : name is null && r.ValueTextEquals("stack"u8) ? 1
            : Slot(ErrorNames, name ?? r.GetString()!),
        static (error, slot, value) => _ = slot == 0 ? error.Message = value : error.Stack = value);

    private delegate int SlotOf(ref Utf8JsonReader reader, string? name);

    /// <summary>A nested object of string fields (actor, resource, error), or null.</summary>
    private static T? Strings<T>(ref Utf8JsonReader reader, JsonPath path, string what, SlotOf slotOf, Action<T, int, string?> set)
        where T : class, new()
    {
        if (reader.TokenType == JsonTokenType.Null)
        {
            return null;
        }

        var value = new T();
        var seen = 0;
        Object(ref reader, path, what);
        while (Property(ref reader, path, out var name))
        {
            var slot = slotOf(ref reader, name);
            Claim(ref seen, slot, path);
            Next(ref reader, path);
            set(value, slot, Text(ref reader, path));
            path.Pop();
        }

        return value;
    }

    /// <summary>Checks that the value is an object; the reader is then on its start.</summary>
    private static void Object(ref Utf8JsonReader reader, JsonPath path, string what)
    {
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            throw path.Error($"The JSON value could not be converted to {what}.");
        }
    }

    /// <summary>
    /// Moves to the next property of the object (false at its end) and pushes its name on the path. The name comes back
    /// as a string only when it is not plain ASCII in the exact spelling the slots are tried in first (null otherwise).
    /// </summary>
    private static bool Property(ref Utf8JsonReader reader, JsonPath path, out string? name)
    {
        if (Next(ref reader, path) == JsonTokenType.EndObject)
        {
            name = null;
            return false;
        }

        name = reader.ValueIsEscaped ? reader.GetString() : null;
        path.Push(ref reader, name);
        return true;
    }

    /// <summary>The property's slot among the names, matched as the serializer's Web defaults do (ignoring case).</summary>
    private static int Slot(string[] names, string name)
    {
        for (var i = 0; i < names.Length; i++)
        {
            if (string.Equals(names[i], name, StringComparison.OrdinalIgnoreCase))
            {
                return i;
            }
        }

        return -1;
    }

    private static void Claim(ref int seen, int slot, JsonPath path)
    {
        if (slot < 0)
        {
            throw path.Error("The JSON property could not be mapped to any field of an event.");
        }

        if ((seen & (1 << slot)) != 0)
        {
            throw path.Error("Duplicate property: a key is given twice in the same object.");
        }

        seen |= 1 << slot;
    }

    private static JsonTokenType Next(ref Utf8JsonReader reader, JsonPath path)
    {
        if (!reader.Read())
        {
            throw path.Error("The JSON value ends before it is complete.");
        }

        return reader.TokenType;
    }

    private static string? Text(ref Utf8JsonReader reader, JsonPath path) => reader.TokenType switch
    {
        JsonTokenType.Null => null,
        JsonTokenType.String => reader.GetString(),
        _ => throw path.Error("The JSON value could not be converted to a string."),
    };

    private static Guid? Guid(ref Utf8JsonReader reader, JsonPath path) => reader.TokenType switch
    {
        JsonTokenType.Null => null,
        JsonTokenType.String when reader.TryGetGuid(out var value) => value,
        _ => throw path.Error("The JSON value could not be converted to a UUID."),
    };

    private static DateTimeOffset? Time(ref Utf8JsonReader reader, JsonPath path) => reader.TokenType switch
    {
        JsonTokenType.Null => null,
        JsonTokenType.String when reader.TryGetDateTimeOffset(out var value) => value,
        _ => throw path.Error("The JSON value could not be converted to an ISO 8601 time."),
    };

    /// <summary>Where the reader is, as the serializer writes it ($[3].actor.id): positions only, text built for an error.</summary>
    private sealed class JsonPath
    {
        private readonly string?[] _names = new string?[4];
        private readonly (long Start, int Length)[] _spans = new (long, int)[4];
        private int _depth;

        public int? Index { get; set; }

        public void Push(ref Utf8JsonReader reader, string? name)
        {
            if (_depth < _names.Length)
            {
                _names[_depth] = name;
                _spans[_depth] = (reader.TokenStartIndex + 1, reader.ValueSpan.Length); // after the opening quote
            }

            _depth++;
        }

        public void Pop() => _depth--;

        public JsonException Error(string message) => new(message);

        public string Text(ReadOnlySpan<byte> body)
        {
            var text = new System.Text.StringBuilder("$");
            if (Index is { } index)
            {
                text.Append('[').Append(index).Append(']');
            }

            for (var i = 0; i < Math.Min(_depth, _names.Length); i++)
            {
                var (start, length) = _spans[i];
                text.Append('.').Append(_names[i] ?? System.Text.Encoding.UTF8.GetString(body.Slice((int)start, length)));
            }

            return text.ToString();
        }
    }
}
