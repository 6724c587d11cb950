using Testing;

namespace EndToEnd.Tests;

/// <summary>The whole system, started once by the real AppHost for a test class.</summary>
public sealed class RunningSystem : IAsyncLifetime
{
    public AppHostProcess Host { get; private set; } = null!;

    public async ValueTask InitializeAsync()
    {
        Host = AppHostProcess.Start();
        await Host.WaitUntilReadyAsync(TimeSpan.FromMinutes(3));
    }

    public async ValueTask DisposeAsync() => await Host.DisposeAsync();
}
