using AppHost.Hosting;
using Microsoft.Extensions.Configuration;

namespace AppHost.Traffic;

public static class TrafficExtensions
{
    /// <summary>A traffic generator against the Api, on unless --AppHost:TrafficGenerator=false.</summary>
    public static ResourceBuilder<TrafficGeneratorResource> AddTrafficGenerator(this DistributedApplicationBuilder builder, string name,
        ResourceBuilder<ProjectResource> api) =>
        builder.AddResource(new TrafficGeneratorResource(name, api.Resource,
                builder.Configuration.GetValue("AppHost:TrafficGenerator", true),
                builder.Configuration.GetValue("AppHost:TrafficInterval", TimeSpan.FromSeconds(3))))
            .WaitFor(api);
}
