using AuditService.Chain;
using AuditService.Ingestion;

namespace AuditService.FunctionalTests;

/// <summary>
/// Every stored hash covers payloads in canonical form, and the verifier rebuilds that form from the stored jsonb, so the
/// one-pass reader must write exactly what the first (JsonDocument-based) implementation wrote, and refuse what it
/// refused with the same words. The expected values below were produced by that implementation.
/// </summary>
public sealed class CanonicalJsonTests
{
    public static TheoryData<string, string> Canonical() => new()
    {
        { "{}",
          "{}" },
        { "{\"b\":1,\"a\":2}",
          "{\"a\":2,\"b\":1}" },
        { "{ \"z\" : [ 3 , 2 , {\"y\":true,\"x\":false} ], \"a\" : null }",
          "{\"a\":null,\"z\":[3,2,{\"x\":false,\"y\":true}]}" },
        { "{\"value\":1250.50,\"n\":-0,\"e\":1e3,\"f\":1.0E-2,\"g\":-12.340e+2,\"big\":123456789012345678901234567890,\"tiny\":0.000001}",
          "{\"big\":123456789012345678901234567890,\"e\":1000,\"f\":0.01,\"g\":-1234,\"n\":0,\"tiny\":0.000001,\"value\":1250.5}" },
        { "{\"s\":\"plain\",\"t\":\"quote \\\" backslash \\\\ slash \\/ tab \\t nl \\n\",\"u\":\"\\u00e9\\u0001\\ud83d\\ude00\",\"raw\":\"Zo\u00eb \u2713\"}",
          "{\"raw\":\"Zo\u00eb \u2713\",\"s\":\"plain\",\"t\":\"quote \\\" backslash \\\\ slash / tab \\u0009 nl \\u000a\",\"u\":\"\u00e9\\u0001\ud83d\ude00\"}" },
        { "{\"\u00e9\":1,\"e\":2,\"E\":3,\"\\u00e9x\":4,\"\ud83d\ude00\":5,\"\uff5a\":6,\"a\\u0000b\":7}",
          "{\"E\":3,\"a\\u0000b\":7,\"e\":2,\"\u00e9\":1,\"\u00e9x\":4,\"\ud83d\ude00\":5,\"\uff5a\":6}" },
        { "{\"nested\":{\"deeper\":{\"deepest\":[[],[{}],{\"k\":[1,[2,[3]]]}]}},\"arr\":[{\"b\":1,\"a\":0}]}",
          "{\"arr\":[{\"a\":0,\"b\":1}],\"nested\":{\"deeper\":{\"deepest\":[[],[{}],{\"k\":[1,[2,[3]]]}]}}}" },
        { "[1,\"two\",{\"c\":3,\"b\":[true,false,null]}]",
          "[1,\"two\",{\"b\":[true,false,null],\"c\":3}]" },
        { "\"just a string \\u0041\"",
          "\"just a string A\"" },
        { "-1.5e-7",
          "-0.00000015" },
        { "{\"zero\":0,\"neg\":-7,\"lead\":0.5,\"exp0\":5e0,\"plus\":1E+2}",
          "{\"exp0\":5,\"lead\":0.5,\"neg\":-7,\"plus\":100,\"zero\":0}" },
    };

    [Theory]
    [MemberData(nameof(Canonical))]
    public void AValueIsWrittenAsTheFirstImplementationWroteIt(string json, string expected)
    {
        Assert.Equal(expected, CanonicalJson.Normalize(json));
        Assert.Equal(expected, CanonicalJson.Write(JsonDocument.Parse(json).RootElement));
    }

    [Theory]
    [MemberData(nameof(Canonical))]
    public void APayloadReadInsideABodyIsTheSameTextAndTheReaderEndsAfterIt(string json, string expected)
    {
        if (!json.TrimStart().StartsWith('{') || json.Contains("\\u0000", StringComparison.Ordinal))
        {
            return; // payloads are objects without NUL; the others are refused (below)
        }

        var body = Encoding.UTF8.GetBytes($"[{json}, 7]");
        var reader = new Utf8JsonReader(body);
        reader.Read();
        reader.Read();

        var payload = Payload.Read(ref reader);

        Assert.Equal(new Payload(expected, null), payload);
        Assert.True(reader.Read());
        Assert.Equal(7, reader.GetInt32());
    }

    private static string Deep(int levels) => new string('[', levels) + new string(']', levels);

    public static TheoryData<string, string> Refused() => new()
    {
        { "[1,2]", "must be a JSON object, not array." },
        { "\"text\"", "must be a JSON object, not string." },
        { "42", "must be a JSON object, not number." },
        { "true", "must be a JSON object, not true." },
        { "false", "must be a JSON object, not false." },
        { "{\"a\":1,\"a\":2}", "has the key 'a' twice." },
        { "{\"a\\u0000\":1}", "has a key containing NUL (\\u0000)." },
        { "{\"s\":\"x\\u0000y\"}", "has a string containing NUL (\\u0000)." },
        { "{\"n\":1e301}", "has a number outside the supported range." },
        { "{\"n\":" + new string('9', 41) + "}", "has a number outside the supported range." },
        { "{\"e\":1e+301,\"f\":1E-301}", "has a number outside the supported range." },
        { "{\"d\":" + Deep(33) + "}", "is nested deeper than 32 levels." },
        // The first problem in document order is the one named.
        { "{\"x\":{\"a\":1,\"b\":{\"c\":1,\"c\":2},\"d\":\"\\u0000\"}}", "has the key 'c' twice." },
        { "{" + string.Join(",", Enumerable.Range(0, 20).Select(i => $"\"k{i}\":{i}")) + ",\"k3\":0}", "has the key 'k3' twice." },
        { "{\"a\\n\":1,\"a\\n\":2}", "has the key 'a\\n' twice." },
    };

    [Theory]
    [MemberData(nameof(Refused))]
    public void APayloadIsRefusedWithTheFirstImplementationsWordsAndTheReaderEndsAfterIt(string json, string problem)
    {
        var body = Encoding.UTF8.GetBytes($"[{json}, 7]");
        var reader = new Utf8JsonReader(body);
        reader.Read();
        reader.Read();

        Assert.Equal(new Payload(null, problem), Payload.Read(ref reader));
        Assert.True(reader.Read());
        Assert.Equal(7, reader.GetInt32());
    }

    [Theory]
    [InlineData("{\"n\":1e300}")]
    [InlineData("{\"n\":9999999999999999999999999999999999999999}")]
    public void ValuesAtTheLimitsAreAccepted(string json) =>
        Assert.Null(Payload.Of(JsonDocument.Parse(json).RootElement).Problem);

    [Fact]
    public void AValueThirtyTwoLevelsDownIsAccepted() =>
        Assert.Null(Payload.Of(JsonDocument.Parse("{\"d\":" + Deep(32) + "}").RootElement).Problem);

    [Fact]
    public void APayloadOver64KiBIsRefusedByTheValidator()
    {
        var dto = AuditServiceFixture.NewEvent(Guid.CreateVersion7());
        dto.Metadata = JsonDocument.Parse("{\"big\":\"" + new string('x', 70000) + "\"}").RootElement;
        var errors = new Dictionary<string, string[]>();

        Assert.Null(new AuditEventValidator(TimeProvider.System).Validate(dto, null, errors));
        Assert.Equal(["is larger than 64 KiB."], errors["metadata"]);
    }
}
