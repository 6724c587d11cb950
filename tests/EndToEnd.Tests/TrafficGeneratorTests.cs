using Microsoft.Extensions.DependencyInjection;

namespace EndToEnd.Tests;

/// <summary>The traffic generator resource: it drives the pipeline, pauses and resumes from its dashboard commands, and leaves Globex to a person.</summary>
public sealed class TrafficGeneratorTests
{
    [Fact]
    public async Task PauseStopsNewActivitiesResumeStartsThemAgainAndGlobexWaitsForAPerson()
    {
        var ct = Ct;
        await using var host = await PlatformApp.StartAsync(new PlatformOptions { Traffic = true }, ct);
        await host.App.ResourceNotifications.WaitForResourceAsync("traffic", KnownResourceStates.Running, ct);
        using var acme = await host.SignedInAsync("admin@acme.local");
        using var globex = await host.SignedInAsync("admin@globex.local");

        var before = await Eventually.Async(async () => await CountAsync(acme, "") is > 0 and var n ? (int?)n : null);

        var commands = host.App.Services.GetRequiredService<ResourceCommandService>();
        Assert.True((await commands.ExecuteCommandAsync("traffic", "pause", ct)).Success);
        Assert.True(host.App.ResourceNotifications.TryGetCurrentState("traffic", out var paused));
        Assert.Equal("Paused", paused.Snapshot.State?.Text);
        await Task.Delay(TimeSpan.FromSeconds(3), ct); // a round in flight finishes
        var atPause = await CountAsync(acme, "");
        await Task.Delay(TimeSpan.FromSeconds(8), ct);
        Assert.Equal(atPause, await CountAsync(acme, ""));

        Assert.True((await commands.ExecuteCommandAsync("traffic", "resume", ct)).Success);
        await Eventually.Async(async () => await CountAsync(acme, "") > atPause ? "" : null);
        Assert.True(atPause >= before);

        // Globex's activities are created but never decided by the generator: a few wait for a person.
        var waiting = await Eventually.Async(async () => await CountAsync(globex, "awaiting_approval") is > 0 and var n ? (int?)n : null, seconds: 120);
        Assert.InRange(waiting!.Value, 1, 3);
        Assert.Equal(0, await CountAsync(globex, "rejected") + await CountAsync(globex, "completed"));
    }

    private static async Task<int> CountAsync(HttpClient http, string status) =>
        (await http.GetFromJsonAsync<JsonElement>($"/api/activities?limit=200{(status.Length > 0 ? $"&status={status}" : "")}")).GetArrayLength();
}
