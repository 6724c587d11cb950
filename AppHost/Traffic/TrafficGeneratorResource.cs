using AppHost.Hosting;

namespace AppHost.Traffic;

/// <summary>
/// Runs inside the AppHost: signs in as the Api's seeded tenant users and keeps the agent pipeline busy
/// (create activities, approve or reject what waits), so every dashboard has data within a minute.
/// Off with --AppHost:TrafficGenerator=false.
/// </summary>
public sealed class TrafficGeneratorResource(string name, ProjectResource api, bool enabled, TimeSpan interval) : Resource(name)
{
    private CancellationTokenSource? _stop;
    private Task? _loop;

    public override Task StartAsync(AppHostContext context, CancellationToken ct)
    {
        if (!enabled)
        {
            Url = "disabled (--AppHost:TrafficGenerator=false)";
            return Task.CompletedTask;
        }

        var users = SeededUsers(api.BuildEnvironment());
        Url = $"every {interval.TotalSeconds:0} s as {users.Count} seeded user(s) against {api.Endpoint}";
        _stop = new CancellationTokenSource();
        var generator = new TrafficGenerator(new Uri(api.Endpoint), users, interval, message => context.Output.Line(Name, message));
        _loop = Task.Run(() => generator.RunAsync(_stop.Token), CancellationToken.None);
        return Task.CompletedTask;
    }

    public override async Task StopAsync(AppHostContext context)
    {
        if (_stop is null || _loop is null)
        {
            return;
        }

        await _stop.CancelAsync();
        await _loop.ContinueWith(_ => { }, TaskScheduler.Default);
        _stop.Dispose();
    }

    /// <summary>The users the Api seeds, read from the environment the AppHost gives it (Seed__Users__{i}__*).</summary>
    private static List<SeededUser> SeededUsers(IDictionary<string, string> environment)
    {
        var users = new List<SeededUser>();
        for (var i = 0; environment.TryGetValue($"Seed__Users__{i}__Email", out var email); i++)
        {
            users.Add(new SeededUser(email, environment[$"Seed__Users__{i}__Password"], environment[$"Seed__Users__{i}__Role"],
                environment.TryGetValue($"Seed__Users__{i}__Tenant", out var tenant) ? tenant : null));
        }

        return users;
    }
}

public sealed record SeededUser(string Email, string Password, string Role, string? Tenant);
