// Runs the real AppHost (free ports, throwaway data), loads N audit events into its auditdb with real hash
// chains, then times the Dashboard's /audit first render in Chromium beside the same first-page request
// made straight to AuditService's read API, for a tenant admin (large tenant) and the super admin.
//   dotnet build -c Release bench/DashboardRender.Bench && dotnet run -c Release --no-build --project bench/DashboardRender.Bench -- [events=1000000] [repetitions=20]
using System.Globalization;
using Testing;

namespace DashboardRender.Bench;

// Not top-level statements: those would make a second 'Program', clashing with AuditService's.
public static class Bench
{
    public static async Task Main(string[] args)
    {
        var events = args.Length > 0 ? long.Parse(args[0], CultureInfo.InvariantCulture) : 1_000_000;
        var repetitions = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 20;

        await using var host = await PlatformApp.StartAsync();
        Console.WriteLine($"AppHost ready (data {host.DataDirectory})");

        using var api = new ApiSession(host);
        var acme = await api.TenantIdAsync("admin@acme.local", "acme");
        await new Loading(host).LoadAsync(events, acme);

        var users = new[] { ("tenant admin (acme)", "admin@acme.local"), ("super admin", "admin@platform.local") };
        var (playwright, browser) = await Chromium.LaunchAsync();
        await using (browser)
        using (playwright)
        {
            foreach (var (label, email) in users)
            {
                var render = await new FirstRender(host, browser).MeasureAsync(email, repetitions);
                var token = await api.SignInAsync(email);
                Report.Print(label, render, await api.MeasureFirstPageAsync(token, repetitions),
                    email == "admin@platform.local" ? await api.MeasureTenantNamesAsync(token, repetitions) : null);
            }
        }

        Console.WriteLine($"uptime: {(await File.ReadAllTextAsync("/proc/loadavg")).Trim()}");
    }
}
