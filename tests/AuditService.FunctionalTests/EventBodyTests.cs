namespace AuditService.FunctionalTests;

/// <summary>The ingest body is read by the rules of the serializer's Web defaults, and every refusal names where it is.</summary>
public sealed class EventBodyTests(AuditServiceFixture app) : IClassFixture<AuditServiceFixture>
{
    private static readonly JsonSerializerOptions Web = new(JsonSerializerDefaults.Web);
    private Task<HttpResponseMessage> PostAsync(string json) =>
        app.Writer.PostAsync("/api/v1/events", new StringContent(json, Encoding.UTF8, "application/json"), Ct);

    private static string Json(AuditEventDto e) => JsonSerializer.Serialize(e, Web);

    [Fact]
    public async Task PropertyNamesAreMatchedIgnoringCaseAndEscapesAsTheSerializerDoes()
    {
        var e = AuditServiceFixture.NewEvent(Guid.CreateVersion7());
        var json = Json(e).Replace("\"tenantId\"", "\"TENANTID\"", StringComparison.Ordinal)
            .Replace("\"action\"", "\"\\u0061ction\"", StringComparison.Ordinal);

        var response = await PostAsync(json);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var result = (await response.Content.ReadFromJsonAsync<IngestResponse>(Ct))!.Results.Single();
        Assert.Equal((e.Id!.Value, IngestStatus.Accepted), (result.Id, result.Status));
    }

    [Fact]
    public async Task AnUnknownPropertyIsRefusedWith400NamingItsPath()
    {
        var json = $"[{Json(AuditServiceFixture.NewEvent(Guid.CreateVersion7()))},{Json(AuditServiceFixture.NewEvent(Guid.CreateVersion7()))
            .Replace("\"actor\":{", "\"actor\":{\"nickname\":\"x\",", StringComparison.Ordinal)}]";

        var response = await PostAsync(json);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>(Ct);
        Assert.Equal("$[1].actor.nickname", problem.GetProperty("field").GetString());
    }

    [Theory]
    [InlineData("{\"id\":\"not-a-uuid\"}", "$.id")]
    [InlineData("{\"occurredAt\":12}", "$.occurredAt")]
    [InlineData("{\"actor\":[]}", "$.actor")]
    [InlineData("{\"action\":\"a.b\"} {}", "$")]
    public async Task AValueOfTheWrongTypeOrTrailingContentIsMalformedJsonAtItsPath(string body, string field)
    {
        var response = await PostAsync(body);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>(Ct);
        Assert.Equal("Malformed JSON", problem.GetProperty("title").GetString());
        Assert.Equal(field, problem.GetProperty("field").GetString());
    }

    [Fact]
    public async Task AKeyGivenTwiceInsideAPayloadIsRefusedNamingThePayload()
    {
        var message = await MetadataRefusalAsync("{\"a\":1,\"a\":2}");

        Assert.Contains("twice", message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ARepeatedKeyIsNamedEscapedSoTheAnswerCannotCarryALineBreakIntoTheSendersLog()
    {
        // The audit client logs a refusal's text in the sending service's log: the key it names comes from the payload.
        var message = await MetadataRefusalAsync("{\"x\\r\\nFAKE\":1,\"x\\r\\nFAKE\":2}");

        Assert.Contains("twice", message, StringComparison.Ordinal);
        Assert.Contains("FAKE", message, StringComparison.Ordinal);
        Assert.DoesNotContain('\r', message);
        Assert.DoesNotContain('\n', message);
    }

    /// <summary>Posts an event whose metadata is <paramref name="metadata"/> as written; answers the 400's error for metadata.</summary>
    private async Task<string> MetadataRefusalAsync(string metadata)
    {
        var json = Json(AuditServiceFixture.NewEvent(Guid.CreateVersion7()))
            .Replace("\"metadata\":null", $"\"metadata\":{metadata}", StringComparison.Ordinal);
        Assert.Contains(metadata, json);

        var response = await PostAsync(json);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>(Ct);
        return problem.GetProperty("errors").GetProperty("metadata")[0].GetString()!;
    }
}
