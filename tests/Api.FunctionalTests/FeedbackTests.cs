namespace Api.FunctionalTests;

/// <summary>Feedback's bad input is one 400 naming every bad field with its reason; nothing of it is stored.</summary>
public sealed class FeedbackTests(ApiFixture api)
{
    [Fact]
    public async Task FeedbackWithAnUnknownKindAndPriorityIsRefusedNamingBothAndTheAllowedValues()
    {
        var errors = await RefusedAsync(ApiFixture.AcmeMember, HttpMethod.Post, "/api/feedback", new SubmitFeedbackRequest("rant", "urgent", "Too slow", "/usage"));

        Assert.Equal($"must be one of {string.Join(", ", FeedbackVocabulary.Kinds)}.", errors.GetProperty("kind")[0].GetString());
        Assert.Equal($"must be one of {string.Join(", ", FeedbackVocabulary.Priorities)}.", errors.GetProperty("priority")[0].GetString());
    }

    [Fact]
    public async Task ATriageWithAnUnknownStatusAndAnOverlongNoteNamesBothAndChangesNothing()
    {
        using var member = await api.ClientForAsync(ApiFixture.AcmeMember);
        var created = await member.PostAsJsonAsync("/api/feedback", new SubmitFeedbackRequest(null, null, "The chart is hard to read", "/usage"), Ct);
        var item = (await created.Content.ReadFromJsonAsync<FeedbackItem>(Ct))!;

        var errors = await RefusedAsync(ApiFixture.AcmeAdmin, HttpMethod.Patch, $"/api/feedback/{item.Id}", new TriageFeedbackRequest("closed", new string('n', 2001)));

        Assert.Equal($"must be one of {string.Join(", ", FeedbackVocabulary.Statuses)}.", errors.GetProperty("status")[0].GetString());
        Assert.Equal("is longer than 2000 characters.", errors.GetProperty("note")[0].GetString());
        var listed = await api.ReadAsAsync<List<FeedbackItem>>(ApiFixture.AcmeAdmin, "/api/feedback");
        Assert.Equal(item.Status, Assert.Single(listed, f => f.Id == item.Id).Status);
    }

    /// <summary>The field errors of a request the Api must refuse with 400.</summary>
    private async Task<JsonElement> RefusedAsync(string email, HttpMethod method, string path, object body)
    {
        using var client = await api.ClientForAsync(email);
        using var request = new HttpRequestMessage(method, path) { Content = JsonContent.Create(body) };
        using var response = await client.SendAsync(request, Ct);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("errors");
    }
}
