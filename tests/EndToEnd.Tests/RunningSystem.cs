namespace EndToEnd.Tests;

/// <summary>The whole system, started once by the real AppHost (Aspire.Hosting.Testing) for a test class.</summary>
public sealed class RunningSystem : IAsyncLifetime
{
    public PlatformApp Host { get; private set; } = null!;

    public async ValueTask InitializeAsync() => Host = await PlatformApp.StartAsync(new PlatformOptions { AspireDashboard = true });

    public async ValueTask DisposeAsync() => await Host.DisposeAsync();
}
