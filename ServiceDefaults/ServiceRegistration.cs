using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>The two registrations every service makes the same way, said once.</summary>
public static class ServiceRegistration
{
    /// <summary>Options bound from their section and checked when the host starts: a bad setting stops start-up, naming itself.</summary>
    public static OptionsBuilder<TOptions> AddValidatedOptions<TOptions>(this IServiceCollection services, string section)
        where TOptions : class =>
        services.AddOptions<TOptions>().BindConfiguration(section).ValidateDataAnnotations().ValidateOnStart();

    /// <summary>A background service that other parts also call (the writer, the jobs): one instance, run by the host.</summary>
    public static IServiceCollection AddHostedSingleton<TService>(this IServiceCollection services)
        where TService : class, IHostedService =>
        services.AddSingleton<TService>().AddHostedService(sp => sp.GetRequiredService<TService>());
}
