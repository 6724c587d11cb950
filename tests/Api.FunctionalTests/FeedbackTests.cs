using System.Text.Json;

namespace Api.FunctionalTests;

/// <summary>Feedback's bad input is one 400 naming every bad field with its reason; nothing of it is stored.</summary>
public sealed class FeedbackTests(ApiFixture api)
{
    [Fact]
    public async Task FeedbackWithAnUnknownKindAndPriorityIsRefusedNamingBothAndTheAllowedValues()
    {
        using var member = await api.ClientForAsync(ApiFixture.AcmeMember);

        var response = await member.PostAsJsonAsync("/api/feedback", new SubmitFeedbackRequest("rant", "urgent", "Too slow", "/usage"), Ct);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var errors = await ErrorsAsync(response);
        Assert.Equal($"must be one of {string.Join(", ", FeedbackVocabulary.Kinds)}.", errors.GetProperty("kind")[0].GetString());
        Assert.Equal($"must be one of {string.Join(", ", FeedbackVocabulary.Priorities)}.", errors.GetProperty("priority")[0].GetString());
    }

    [Fact]
    public async Task ATriageWithAnUnknownStatusAndAnOverlongNoteNamesBothAndChangesNothing()
    {
        using var member = await api.ClientForAsync(ApiFixture.AcmeMember);
        var created = await member.PostAsJsonAsync("/api/feedback", new SubmitFeedbackRequest(null, null, "The chart is hard to read", "/usage"), Ct);
        var item = (await created.Content.ReadFromJsonAsync<FeedbackItem>(Ct))!;
        using var admin = await api.ClientForAsync(ApiFixture.AcmeAdmin);

        var response = await admin.PatchAsJsonAsync($"/api/feedback/{item.Id}", new TriageFeedbackRequest("closed", new string('n', 2001)), Ct);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var errors = await ErrorsAsync(response);
        Assert.Equal($"must be one of {string.Join(", ", FeedbackVocabulary.Statuses)}.", errors.GetProperty("status")[0].GetString());
        Assert.Equal("is longer than 2000 characters.", errors.GetProperty("note")[0].GetString());
        var listed = await admin.GetFromJsonAsync<List<FeedbackItem>>("/api/feedback", Ct);
        Assert.Equal(item.Status, Assert.Single(listed!, f => f.Id == item.Id).Status);
    }

    private static async Task<JsonElement> ErrorsAsync(HttpResponseMessage response) =>
        (await response.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("errors");
}
