using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Testing;

namespace Api.PipelineTests;

/// <summary>
/// TEST DOUBLE of an OpenAI-compatible provider (the only external, paid service): a tiny Kestrel app answering
/// POST /v1/chat/completions with the usage block a real provider sends, including
/// prompt_tokens_details.cached_tokens. Tests set the token counts, make it fail, or make it hang.
/// </summary>
public sealed class OpenAiTestDouble : IAsyncDisposable
{
    private readonly WebApplication _app;
    private int _requests;
    private int _failuresLeft;
    private TaskCompletionSource? _hang;

    private OpenAiTestDouble(WebApplication app) => _app = app;

    public Uri Endpoint { get; private set; } = null!;
    public int Requests => _requests;
    public (int Prompt, int Cached, int Completion) Usage { get; set; } = (1000, 400, 200);

    /// <summary>Answer the next <paramref name="count"/> requests with HTTP 500 (int.MaxValue: until healed).</summary>
    public void FailNext(int count) => Volatile.Write(ref _failuresLeft, count);

    /// <summary>The next request waits until <see cref="ReleaseHung"/>; the returned task completes when it has arrived.</summary>
    public Task HangNextAsync()
    {
        _hang = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        Arrived = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        return Arrived.Task;
    }

    private TaskCompletionSource? Arrived { get; set; }

    public void ReleaseHung() => _hang?.TrySetResult();

    public static async Task<OpenAiTestDouble> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        var port = PostgresServer.FreePort();
        builder.WebHost.UseUrls($"http://127.0.0.1:{port}");
        var app = builder.Build();
        var fake = new OpenAiTestDouble(app) { Endpoint = new Uri($"http://127.0.0.1:{port}/v1") };
        app.MapPost("/v1/chat/completions", (Delegate)fake.CompleteAsync);
        await app.StartAsync();
        return fake;
    }

    private async Task<IResult> CompleteAsync(HttpContext http)
    {
        Interlocked.Increment(ref _requests);
        using var request = await JsonDocument.ParseAsync(http.Request.Body);
        if (Interlocked.Exchange(ref _hang, null) is { } hang)
        {
            Arrived?.TrySetResult();
            await hang.Task;
        }

        if (Interlocked.Decrement(ref _failuresLeft) >= 0)
        {
            return Results.Json(new { error = new { message = "test double: upstream overloaded", type = "server_error" } }, statusCode: 500);
        }

        var (prompt, cached, completion) = Usage;
        return Results.Json(new
        {
            id = $"chatcmpl-double-{_requests}",
            @object = "chat.completion",
            created = DateTimeOffset.UtcNow.ToUnixTimeSeconds(),
            model = request.RootElement.GetProperty("model").GetString(),
            choices = new[]
            {
                new { index = 0, message = new { role = "assistant", content = $"Test double answer #{_requests}: three points, reviewed." }, finish_reason = "stop" },
            },
            usage = new
            {
                prompt_tokens = prompt,
                completion_tokens = completion,
                total_tokens = prompt + completion,
                prompt_tokens_details = new { cached_tokens = cached },
            },
        });
    }

    public async ValueTask DisposeAsync()
    {
        ReleaseHung();
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
