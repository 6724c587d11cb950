using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>The registrations every service makes the same way, said once.</summary>
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

    /// <summary>
    /// A class of instruments, created when the host starts: an instrument exists from its creation, so /metrics lists it
    /// (at 0) from the first scrape rather than from the first request that happens to need it.
    /// </summary>
    public static IServiceCollection AddInstruments<TMetrics>(this IServiceCollection services)
        where TMetrics : class =>
        services.AddSingleton<TMetrics>().AddHostedService<CreateAtStart<TMetrics>>();

    // One closed type per class of instruments: AddHostedService skips a second registration of the same type.
    private sealed class CreateAtStart<TMetrics> : IHostedService
    {
        // Being given the instance is the point: the host creates it when it creates its hosted services.
        public CreateAtStart(TMetrics created) => ArgumentNullException.ThrowIfNull(created);

        public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }
}
