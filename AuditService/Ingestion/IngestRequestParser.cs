namespace AuditService.Ingestion;

/// <summary>Turns a request body into events, or into the problem that says why it cannot.</summary>
public static class IngestRequestParser
{
    public sealed record Parsed(IReadOnlyList<IncomingEvent?>? Events, bool IsBatch, ProblemHttpResult? Problem, string? Reason);

    public static async Task<Parsed> ParseAsync(HttpRequest request, IngestOptions options, CancellationToken ct)
    {
        if (request.ContentType is not { } type || !type.StartsWith("application/json", StringComparison.OrdinalIgnoreCase))
        {
            return Fail(415, "Unsupported media type", "Send the events as application/json.", "media_type");
        }

        RequestBodyReader.Body pooled;
        try
        {
            pooled = await RequestBodyReader.ReadAsync(request, options.MaxBodyBytes, ct);
        }
        catch (RequestBodyReader.TooLargeException ex)
        {
            return Fail(413, "Body too large", $"The body is larger than {ex.Limit} bytes (after decompression); send smaller batches.", "too_large");
        }
        catch (RequestBodyReader.BadEncodingException ex)
        {
            return Fail(400, "Bad content encoding", ex.Message, "encoding");
        }
        catch (BadHttpRequestException ex) when (ex.StatusCode == 413)
        {
            return Fail(413, "Body too large", ex.Message, "too_large");
        }

        using (pooled)
        {
            return Parse(pooled.Span, options);
        }
    }

    // Events keep no reference into the body: strings and JSON values are copied out as they are read.
    public static Parsed Parse(ReadOnlySpan<byte> body, IngestOptions options)
    {
        var first = body.IndexOfAnyExcept(" \t\r\n"u8);
        if (first < 0)
        {
            return Fail(400, "Empty body", "Send one event object or an array of events.", "malformed");
        }

        try
        {
            if (body[first] == (byte)'[')
            {
                var batch = EventBodyReader.Read(body, isBatch: true);
                if (batch.Count == 0)
                {
                    return Fail(400, "Empty batch", "The array holds no events.", "malformed");
                }

                return batch.Count > options.MaxEventsPerRequest
                    ? Fail(413, "Batch too large", $"A request may carry at most {options.MaxEventsPerRequest} events; this one has {batch.Count}.", "too_large")
                    : new Parsed(batch, true, null, null);
            }

            return new Parsed(EventBodyReader.Read(body, isBatch: false), false, null, null);
        }
        catch (JsonException ex)
        {
            var where = string.IsNullOrEmpty(ex.Path) ? "" : $" at {ex.Path}";
            return Fail(400, "Malformed JSON", $"The body is not a valid event or array of events{where}: {Describe(ex)}", "malformed",
                ex.Path);
        }
    }

    // System.Text.Json messages can quote the payload; keep only the first sentence, with no user text.
    private static string Describe(JsonException ex)
    {
        var message = ex.Message;
        var cut = message.IndexOf(" Path:", StringComparison.Ordinal);
        return (cut > 0 ? message[..cut] : message).ReplaceLineEndings(" ");
    }

    private static Parsed Fail(int status, string title, string detail, string reason, string? field = null)
    {
        var extensions = field is null ? null : new Dictionary<string, object?> { ["field"] = field };
        return new Parsed(null, false, TypedResults.Problem(statusCode: status, title: title, detail: detail, extensions: extensions), reason);
    }
}
