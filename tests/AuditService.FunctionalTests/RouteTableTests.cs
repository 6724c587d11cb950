using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace AuditService.FunctionalTests;

/// <summary>The service's route table as the host built it: every API route is named, summarised and requires a caller.</summary>
public sealed class RouteTableTests(AuditServiceFixture app) : IClassFixture<AuditServiceFixture>
{
    [Fact]
    public void EveryApiRouteCarriesItsHandlersNameAndSummaryAndAnAuthorizationRequirement()
    {
        var routes = app.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .Where(e => e.RoutePattern.RawText?.StartsWith("/api/v1", StringComparison.Ordinal) == true)
            .ToList();

        Assert.Equal(13, routes.Count);
        Assert.All(routes, route =>
        {
            var name = route.Metadata.GetMetadata<IEndpointNameMetadata>()?.EndpointName;
            Assert.False(string.IsNullOrEmpty(name), route.DisplayName);
            Assert.False(string.IsNullOrEmpty(route.Metadata.GetMetadata<IEndpointSummaryMetadata>()?.Summary), name);
            Assert.NotEmpty(route.Metadata.GetOrderedMetadata<IAuthorizeData>());
        });
        Assert.Equal(routes.Count, routes.Select(r => r.Metadata.GetMetadata<IEndpointNameMetadata>()!.EndpointName).Distinct().Count());
        Assert.Contains(routes, r => r.RoutePattern.RawText == "/api/v1/integrity/verify"
            && r.Metadata.GetMetadata<IEndpointNameMetadata>()!.EndpointName == "VerifyChain");
    }
}
