namespace Api.Llm;

/// <summary>
/// Which LLM the Api calls and what it costs. With no Provider the <see cref="SimulatedChatClient"/> answers.
/// </summary>
public sealed class LlmOptions
{
    public const string SectionName = "Llm";

    /// <summary>Provider name as it appears in metrics and the price table (openai, azure-openai, ollama, vllm...); empty = simulated.</summary>
    public string? Provider { get; set; }

    /// <summary>Base address of an OpenAI-compatible API (e.g. https://api.openai.com/v1, http://localhost:11434/v1).</summary>
    public Uri? Endpoint { get; set; }

    public string? ApiKey { get; set; }

    [Required]
    public string Model { get; set; } = SimulatedChatClient.DefaultModel;

    /// <summary>Keep a short, redacted preview of each answer with the call record.</summary>
    public bool StoreOutputPreview { get; set; }

    [Range(1, 1000)]
    public int OutputPreviewLength { get; set; } = 160;

    /// <summary>How long call records are kept; the daily rollups are kept for good.</summary>
    public TimeSpan CallRetention { get; set; } = TimeSpan.FromDays(180);

    public TimeSpan CleanupInterval { get; set; } = TimeSpan.FromHours(6);

    /// <summary>How often every tenant's spend is read for the budget gauges (a call updates its tenant's at once).</summary>
    [Range(typeof(TimeSpan), "00:00:01", "01:00:00")]
    public TimeSpan SpendGaugeInterval { get; set; } = TimeSpan.FromSeconds(30);

    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>The longest the simulated provider takes to answer.</summary>
    public TimeSpan SimulatedMaxLatency { get; set; } = TimeSpan.FromMilliseconds(900);

    /// <summary>USD per million tokens, by provider then model.</summary>
    public Dictionary<string, Dictionary<string, ModelPrice>> Prices { get; set; } = new(StringComparer.OrdinalIgnoreCase);

    public bool IsSimulated => string.IsNullOrWhiteSpace(Provider);

    public string ProviderName => IsSimulated ? SimulatedChatClient.ProviderName : Provider!.Trim();
}

/// <summary>Prices in USD per million tokens.</summary>
public sealed class ModelPrice
{
    public decimal Input { get; set; }
    public decimal Output { get; set; }
    public decimal CachedInput { get; set; }
}
