namespace Api.Llm;

/// <summary>Refuses to start with a provider that cannot be reached or a model that has no price.</summary>
public sealed class LlmOptionsValidator : IValidateOptions<LlmOptions>
{
    public ValidateOptionsResult Validate(string? name, LlmOptions options)
    {
        var errors = new List<string>();
        if (!options.IsSimulated && options.Endpoint is null)
        {
            errors.Add($"Llm:Endpoint is required when Llm:Provider is set ('{options.Provider}').");
        }

        foreach (var (provider, models) in options.Prices)
        {
            foreach (var (model, price) in models)
            {
                if (price is null || price.Input < 0 || price.Output < 0 || price.CachedInput < 0)
                {
                    errors.Add($"Llm:Prices:{provider}:{model}: Input, Output and CachedInput must be zero or more.");
                }
                else if (price.CachedInput > price.Input)
                {
                    errors.Add($"Llm:Prices:{provider}:{model}: CachedInput must not exceed Input.");
                }
            }
        }

        if (options.FindPrice(options.ProviderName, options.Model) is null)
        {
            errors.Add($"Llm:Prices:{options.ProviderName}:{options.Model} is missing: every call must be priced.");
        }

        if (options.CallRetention < TimeSpan.FromDays(1))
        {
            errors.Add("Llm:CallRetention must be at least one day.");
        }

        return errors.Count > 0 ? ValidateOptionsResult.Fail(errors) : ValidateOptionsResult.Success;
    }
}
