// Runs the real AppHost (free ports, throwaway data), loads N audit events into its auditdb with real hash
// chains, then times the Dashboard's /audit first render in Chromium (and when its 24-hour summary shows) beside
// the same first-page and summary requests made straight to AuditService's read API, for a tenant admin (large
// tenant) and the super admin; then the summary's SQL in one pass (grouping sets) against three GROUP BY queries.
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
        var loading = new Loading(host);
        await loading.LoadAsync(events, acme);

        var users = new[] { ("tenant admin (acme)", "admin@acme.local"), ("super admin", "admin@platform.local") };
        var (playwright, browser) = await Chromium.LaunchAsync();
        await using (browser)
        using (playwright)
        {
            foreach (var (label, email) in users)
            {
                var render = await new FirstRender(host, browser).MeasureAsync(email, repetitions);
                var token = await api.SignInAsync(email);
                Report.Print(label, render, await api.MeasureFirstPageAsync(token, repetitions), await api.MeasureSummaryAsync(token, repetitions),
                    email == "admin@platform.local" ? await api.MeasureTenantNamesAsync(token, repetitions) : null);
            }
        }

        var shapes = new StatsShapes(loading.Superuser);
        foreach (var (label, tenant) in new[] { ("one tenant (acme)", (Guid?)acme), ("every tenant", null) })
        {
            var (grouping, three) = await shapes.MeasureAsync(tenant, repetitions);
            Report.Raw($"summary SQL, {label}", "one pass, grouping sets (AuditService's)", grouping);
            Report.Raw($"summary SQL, {label}", "three GROUP BY queries (before)", three);
        }

        Console.WriteLine($"uptime: {(await File.ReadAllTextAsync("/proc/loadavg")).Trim()}");
    }
}
