using System.Runtime.CompilerServices;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.AI;

namespace Api.Llm;

/// <summary>
/// A stand-in LLM for local runs without a provider: it answers deterministically from a hash of the
/// prompt, with token counts of the size a real model reports (about four characters a token, the system
/// prompt served from the prompt cache in 64-token blocks) and a latency that grows with the answer.
/// It is not a test double: it is what the Api calls when Llm:Provider is empty.
/// </summary>
public sealed class SimulatedChatClient(TimeSpan maxLatency) : IChatClient
{
    public const string ProviderName = "simulated";
    public const string DefaultModel = "sim-gpt-4o-mini";

    private static readonly string[] Openers =
        ["Key findings", "Summary", "Draft", "Review notes", "Outline", "Recommendations"];

    private static readonly string[] Points =
    [
        "audiences respond to concrete examples more than to claims",
        "the strongest angle is cost of delay for the reader",
        "three competing sources disagree on adoption figures",
        "a short checklist makes the piece actionable",
        "the headline should promise one measurable outcome",
        "tone is consistent; two sentences need tightening",
        "claims about pricing need a citation before publishing",
        "the opening paragraph can lose its first sentence",
    ];

    public async Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        var list = messages.ToList();
        var prompt = string.Join("\n", list.Select(m => m.Text));
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes(prompt));
        var text = Answer(list, hash);

        var system = list.Where(m => m.Role == ChatRole.System).Sum(m => Tokens(m.Text));
        var input = Tokens(prompt) + 3 * list.Count;
        var output = Tokens(text);
        var cached = system / 64 * 64;

        // Roughly what a small hosted model takes: a fixed part plus time per generated token.
        var latency = TimeSpan.FromMilliseconds(Math.Min(maxLatency.TotalMilliseconds, 80 + hash[1] % 40 + output * 2.5));
        await Task.Delay(latency, cancellationToken);

        return new ChatResponse(new ChatMessage(ChatRole.Assistant, text))
        {
            ModelId = options?.ModelId ?? DefaultModel,
            ResponseId = $"sim-{Convert.ToHexStringLower(hash[..8])}",
            FinishReason = ChatFinishReason.Stop,
            CreatedAt = DateTimeOffset.UtcNow,
            Usage = new UsageDetails
            {
                InputTokenCount = input,
                CachedInputTokenCount = cached,
                OutputTokenCount = output,
                TotalTokenCount = input + output,
            },
        };
    }

    public async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var response = await GetResponseAsync(messages, options, cancellationToken);
        foreach (var update in response.ToChatResponseUpdates())
        {
            yield return update;
        }
    }

    public object? GetService(Type serviceType, object? serviceKey = null) =>
        serviceKey is null && serviceType.IsInstanceOfType(this) ? this
        : serviceType == typeof(ChatClientMetadata) ? new ChatClientMetadata(ProviderName, null, DefaultModel)
        : null;

    public void Dispose()
    {
    }

    private static int Tokens(string text) => Math.Max(1, (text.Length + 3) / 4);

    private static string Answer(List<ChatMessage> messages, byte[] hash)
    {
        var subject = messages.LastOrDefault(m => m.Role == ChatRole.User)?.Text ?? "";
        var firstLine = subject.Split('\n', StringSplitOptions.RemoveEmptyEntries).FirstOrDefault() ?? "";
        var builder = new StringBuilder()
            .Append(Openers[hash[0] % Openers.Length]).Append(" for \"")
            .Append(firstLine.Length > 80 ? firstLine[..80] : firstLine).AppendLine("\":");
        var count = 3 + hash[2] % 4;
        for (var i = 0; i < count; i++)
        {
            builder.Append("- ").AppendLine(Points[(hash[3 + i] + i) % Points.Length]);
        }

        return builder.ToString().TrimEnd();
    }
}
