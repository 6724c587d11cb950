using Aspire.Hosting;
using Aspire.Hosting.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace EndToEnd.Tests;

/// <summary>Tests that change the process's PATH run alone, so no other AppHost in this run sees it.</summary>
[CollectionDefinition(nameof(ChangesPath), DisableParallelization = true)]
public sealed class ChangesPath;

/// <summary>
/// Where Grafana, Loki and Tempo are installed the AppHost runs them and points the services at them. They cannot be
/// installed here, so the binaries the AppHost finds on PATH are stand-ins that only exist: this checks the graph the
/// AppHost builds (what runs, what each service is told), not the tools.
/// </summary>
[Collection(nameof(ChangesPath))]
public sealed class GrafanaStackWiringTests
{
    [Fact]
    public async Task WithTheStackOnPathServicesAlsoExportToTempoAndLokiAndTraceLinksOpenGrafana()
    {
        var bin = Directory.CreateTempSubdirectory("stack-bin-");
        foreach (var tool in new[] { "tempo", "loki", "grafana" })
        {
            var path = Path.Combine(bin.FullName, tool);
            await File.WriteAllTextAsync(path, "#!/bin/sh\nexit 1\n", Ct);
            File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserExecute);
        }

        var path0 = Environment.GetEnvironmentVariable("PATH");
        Environment.SetEnvironmentVariable("PATH", $"{bin.FullName}:{path0}");
        try
        {
            var env = await EnvironmentAsync("api");
            Assert.IsType<ExecutableResource>(env.Model.Resources.Single(r => r.Name == "grafana"));
            Assert.Equal("http://127.0.0.1:4318/v1/traces", env.Values["Telemetry__Exporters__tempo__Endpoint"]);
            Assert.Equal("traces", env.Values["Telemetry__Exporters__tempo__Signal"]);
            Assert.Equal("logs", env.Values["Telemetry__Exporters__loki__Signal"]);
            Assert.True(env.Values.ContainsKey("Telemetry__Exporters__loki__Endpoint"));
            foreach (var showsTraceIds in new[] { "dashboard", "auditservice" })
            {
                Assert.IsType<EndpointReference>((await EnvironmentAsync(showsTraceIds)).Values["TraceViewer__GrafanaUrl"]);
            }
        }
        finally
        {
            Environment.SetEnvironmentVariable("PATH", path0);
            bin.Delete(recursive: true);
        }
    }

    [Fact]
    public async Task WithoutTheStackTheyShowAsNotInstalledAndServicesExportOnlyToTheAspireDashboard()
    {
        var env = await EnvironmentAsync("api");

        Assert.All(new[] { "tempo", "loki", "grafana" }, name =>
            Assert.IsType<AppHost.Observability.NotInstalledResource>(env.Model.Resources.Single(r => r.Name == name)));
        Assert.DoesNotContain(env.Values.Keys, k => k.StartsWith("Telemetry__Exporters__", StringComparison.Ordinal));
        Assert.DoesNotContain("TraceViewer__GrafanaUrl", (await EnvironmentAsync("dashboard")).Values.Keys);
    }

    private static async Task<(DistributedApplicationModel Model, Dictionary<string, object> Values)> EnvironmentAsync(string service)
    {
        await using var builder = await DistributedApplicationTestingBuilder.CreateAsync<Projects.AppHost>(["--AppHost:EphemeralSecrets=true"],
            Ct);
        await using var app = await builder.BuildAsync(Ct);
        var model = app.Services.GetRequiredService<DistributedApplicationModel>();
        var api = model.Resources.OfType<ProjectResource>().Single(r => r.Name == service);
        var values = new Dictionary<string, object>();
        var context = new EnvironmentCallbackContext(app.Services.GetRequiredService<DistributedApplicationExecutionContext>(), api, values,
            Ct);
        foreach (var callback in api.Annotations.OfType<EnvironmentCallbackAnnotation>())
        {
            await callback.Callback(context);
        }

        return (model, values);
    }
}
