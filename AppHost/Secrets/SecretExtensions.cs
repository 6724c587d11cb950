using Audit.Contracts;

namespace AppHost.Secrets;

public static class SecretExtensions
{
    /// <summary>
    /// A random secret (a password or signing key): an Aspire secret parameter, generated on first run and kept in the
    /// AppHost's user secrets; with --AppHost:EphemeralSecrets=true (throwaway runs, the tests) kept in memory only.
    /// </summary>
    public static IResourceBuilder<ParameterResource> AddSecret(this IDistributedApplicationBuilder builder, string name) =>
        builder.AddParameter(name, new GenerateParameterDefault { MinLength = 32, Special = false }, secret: true, persist: Persist(builder));

    /// <summary>An AuditService API key (<see cref="ApiKeyFormat"/>), generated on first run like every other secret.</summary>
    public static IResourceBuilder<ParameterResource> AddApiKey(this IDistributedApplicationBuilder builder, string name) =>
        builder.AddParameter(name, new ApiKeyDefault(), secret: true, persist: Persist(builder));

    private static bool Persist(IDistributedApplicationBuilder builder) => !builder.Configuration.GetValue("AppHost:EphemeralSecrets", false);

    /// <summary>Makes AuditService accept a key (stored hashed at its start-up) with the given permissions, for every tenant.</summary>
    public static IResourceBuilder<ProjectResource> WithSeededApiKey(this IResourceBuilder<ProjectResource> auditService, string holder,
        IResourceBuilder<ParameterResource> key, params string[] permissions)
    {
        var index = auditService.Resource.Annotations.OfType<SeededApiKeyAnnotation>().Count();
        auditService.Resource.Annotations.Add(new SeededApiKeyAnnotation(holder));
        foreach (var (setting, value) in new ApiKeySeed(holder, permissions).Settings(index))
        {
            auditService.WithEnvironment(ApiKeySeed.AsEnvironmentName(setting), value);
        }

        auditService.WithEnvironment(ApiKeySeed.AsEnvironmentName(ApiKeySeed.SecretSetting(index)), key);
        return auditService;
    }

    private sealed record SeededApiKeyAnnotation(string Holder) : IResourceAnnotation;

    /// <summary>A new key of the form AuditService parses.</summary>
    private sealed class ApiKeyDefault : ParameterDefault
    {
        public override string GetDefaultValue() => ApiKeyFormat.New();

        // A deployment supplies its own key: no generated default is published.
        public override void WriteToManifest(Aspire.Hosting.Publishing.ManifestPublishingContext context)
        {
        }
    }
}
