namespace Api.Llm;

/// <summary>Token counts of one call, as the provider reported them.</summary>
public readonly record struct TokenUsage(long Input, long CachedInput, long Output)
{
    /// <summary>Input tokens billed at the full rate: providers count cached tokens inside the input count.</summary>
    public long UncachedInput => Math.Max(0, Input - CachedInput);
}

public static class LlmCost
{
    private const decimal PerMillion = 1_000_000m;

    /// <summary>USD for one call: uncached input, cached input and output each at their own price per million tokens.</summary>
    public static decimal Of(TokenUsage usage, ModelPrice price) =>
        (usage.UncachedInput * price.Input + Math.Min(usage.CachedInput, usage.Input) * price.CachedInput + usage.Output * price.Output) / PerMillion;

    public static ModelPrice? FindPrice(this LlmOptions options, string provider, string model) =>
        options.Prices.FirstOrDefault(p => string.Equals(p.Key, provider, StringComparison.OrdinalIgnoreCase)).Value
            ?.FirstOrDefault(m => string.Equals(m.Key, model, StringComparison.OrdinalIgnoreCase)).Value;
}
