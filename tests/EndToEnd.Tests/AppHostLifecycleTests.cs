using System.Diagnostics;
using System.Net.Sockets;
using Testing;

namespace EndToEnd.Tests;

public sealed class AppHostLifecycleTests
{
    [Fact]
    public async Task CtrlCStopsEveryChildAndShutsPostgresDownCleanly()
    {
        await using var host = AppHostProcess.Start();
        await host.WaitUntilReadyAsync(TimeSpan.FromMinutes(3));
        Assert.NotEmpty(ProcessesMentioning(host.DataDirectory));

        host.Interrupt();
        var exitCode = await host.WaitForExitAsync(TimeSpan.FromSeconds(90));

        Assert.Equal(0, exitCode);
        Assert.Contains("postgres: Stopped", host.Output);
        Assert.Empty(ProcessesMentioning(host.DataDirectory));
        foreach (var (resource, port) in host.Ports)
        {
            Assert.False(await IsListeningAsync(port), $"{resource} still listens on {port}");
        }

        // A clean shutdown leaves no postmaster.pid behind.
        Assert.False(File.Exists(Path.Combine(host.DataDirectory, "postgres", "data", "postmaster.pid")));
    }

    [Fact]
    public async Task AMissingPrerequisiteIsExplainedWithANonZeroExit()
    {
        await using var host = AppHostProcess.Start(new Dictionary<string, string> { ["PG_BIN"] = "/nonexistent" });

        var exitCode = await host.WaitForExitAsync(TimeSpan.FromSeconds(60));

        Assert.NotEqual(0, exitCode);
        Assert.Contains("apt-get install -y postgresql", host.Output);
        Assert.Empty(ProcessesMentioning(host.DataDirectory));
    }

    private static List<string> ProcessesMentioning(string text) =>
        Directory.EnumerateDirectories("/proc")
            .Where(d => int.TryParse(Path.GetFileName(d), out _))
            .Select(d =>
            {
                try
                {
                    return File.ReadAllText(Path.Combine(d, "cmdline")).Replace('\0', ' ');
                }
                catch (IOException)
                {
                    return "";
                }
                catch (UnauthorizedAccessException)
                {
                    return "";
                }
            })
            .Where(cmd => cmd.Contains(text, StringComparison.Ordinal) && !cmd.Contains("AppHost.dll", StringComparison.Ordinal))
            .ToList();

    private static async Task<bool> IsListeningAsync(int port)
    {
        using var client = new TcpClient();
        try
        {
            await client.ConnectAsync("127.0.0.1", port);
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }
}
