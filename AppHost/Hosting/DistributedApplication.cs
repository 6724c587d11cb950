using System.Runtime.InteropServices;

namespace AppHost.Hosting;

/// <summary>
/// Starts every resource once what it waits for is healthy, prints the status table, runs until
/// Ctrl+C (or SIGTERM), then stops everything in reverse order, PostgreSQL last.
/// </summary>
public sealed class DistributedApplication(AppHostContext context)
{
    public AppHostContext Context { get; } = context;

    public void Run() => Environment.ExitCode = RunAsync().GetAwaiter().GetResult();

    public async Task<int> RunAsync(CancellationToken external = default)
    {
        using var shutdown = CancellationTokenSource.CreateLinkedTokenSource(external);
        using var sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, Stop);
        using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, Stop);
        void Stop(PosixSignalContext signal)
        {
            signal.Cancel = true;
            shutdown.Cancel();
        }

        var output = Context.Output;
        output.PrefixWidth = Math.Max(12, Context.Resources.Max(r => r.Name.Length) + 2);
        foreach (var resource in Context.Resources)
        {
            resource.StateChanged += r => output.Host($"{r.Name}: {r.State}{(r.Note is null ? "" : $" — {r.Note}")}");
        }

        var exitCode = 0;
        try
        {
            await StartAllAsync(shutdown.Token);
            output.Block(StatusTable.Render(Context.Resources));
            if (Context.StartupNotes.Count > 0)
            {
                output.Block("Seeded sign-ins (generated on first run, kept in the data folder):\n" +
                    string.Join('\n', Context.StartupNotes.Select(n => n())) + "\n");
            }
            output.Host("Ready: every resource is up. Press Ctrl+C to stop.");
            await WatchAsync(shutdown.Token);
        }
        catch (OperationCanceledException) when (shutdown.IsCancellationRequested)
        {
        }
        catch (PrerequisiteException ex)
        {
            output.Host($"ERROR: {ex.Message}");
            exitCode = 2;
        }
        catch (Exception ex)
        {
            output.Host($"ERROR: {ex.Message}");
            exitCode = 1;
        }

        output.Host("Stopping...");
        await StopAllAsync();
        output.Host("Stopped.");
        return exitCode;
    }

    private async Task StartAllAsync(CancellationToken ct)
    {
        var started = new Dictionary<Resource, Task>();
        Task StartOne(Resource resource)
        {
            if (started.TryGetValue(resource, out var task))
            {
                return task;
            }

            task = Task.Run(async () =>
            {
                await Task.WhenAll(resource.WaitsFor.Select(StartOne));
                if (resource.State != ResourceState.Pending)
                {
                    return;
                }

                resource.SetState(ResourceState.Starting);
                try
                {
                    await resource.StartAsync(Context, ct);
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    resource.SetState(ResourceState.Failed, ex.Message);
                    throw;
                }

                if (resource.State == ResourceState.Starting)
                {
                    resource.SetState(ResourceState.Healthy);
                }
            }, ct);
            started[resource] = task;
            return task;
        }

        var all = Context.Resources.Select(StartOne).ToList();
        // Surface the first failure at once instead of waiting for the rest to time out.
        while (all.Count > 0)
        {
            var finished = await Task.WhenAny(all);
            await finished;
            all.Remove(finished);
        }
    }

    private async Task WatchAsync(CancellationToken ct)
    {
        var projects = Context.Resources.OfType<ProjectResource>().Where(p => p.Process is not null).ToList();
        var watching = projects.ToDictionary(p => p.Process!.Exited, p => p);
        var stopped = Task.Delay(Timeout.Infinite, ct);
        while (true)
        {
            var done = await Task.WhenAny(watching.Keys.Append(stopped));
            if (done == stopped)
            {
                return;
            }

            var project = watching[done];
            watching.Remove(done);
            project.SetState(ResourceState.Failed, $"exited with code {project.Process!.ExitCode}");
        }
    }

    private async Task StopAllAsync()
    {
        foreach (var resource in Enumerable.Reverse(Context.Resources))
        {
            if (resource.State is ResourceState.Pending or ResourceState.NotInstalled or ResourceState.Stopped)
            {
                continue;
            }

            resource.SetState(ResourceState.Stopping);
            try
            {
                await resource.StopAsync(Context);
                resource.SetState(ResourceState.Stopped);
            }
            catch (Exception ex)
            {
                resource.SetState(ResourceState.Failed, $"could not stop cleanly: {ex.Message}");
            }
        }
    }
}
