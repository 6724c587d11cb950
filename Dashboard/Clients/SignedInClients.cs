using Dashboard.Extensions;
using Microsoft.Extensions.Options;

namespace Dashboard.Clients;

/// <summary>A backend the typed clients call: its name (the pooled handler chain's) and where it is.</summary>
public sealed record Backend(string Name, Func<DashboardOptions, Uri> Endpoint)
{
    public static readonly Backend Api = new(ServiceNames.Api, o => o.ApiEndpoint);
    public static readonly Backend AuditService = new(ServiceNames.AuditService, o => o.AuditServiceEndpoint);
}

public static class SignedInClients
{
    /// <summary>
    /// Registers a typed client whose requests go out through <see cref="AuthorizedSendHandler"/>. IHttpClientFactory
    /// builds a client's delegating handlers in a scope of its own, where no user is signed in; so the handler is made
    /// in the scope that asks for the client (the HTTP request, or the page's circuit) and put in front of the factory's
    /// pooled handler chain for the backend (service discovery, resilience, connection pooling).
    /// </summary>
    public static IServiceCollection AddSignedInClient<TClient>(this IServiceCollection services, Backend backend) where TClient : class
    {
        services.AddHttpClient(backend.Name);
        services.AddTransient(sp =>
        {
            var handler = new AuthorizedSendHandler(sp.GetRequiredService<CurrentSession>())
            {
                InnerHandler = sp.GetRequiredService<IHttpMessageHandlerFactory>().CreateHandler(backend.Name),
            };
            // The factory owns the inner chain's lifetime; this client must not dispose it.
            var http = new HttpClient(handler, disposeHandler: false)
            {
                BaseAddress = backend.Endpoint(sp.GetRequiredService<IOptions<DashboardOptions>>().Value),
            };
            return ActivatorUtilities.CreateInstance<TClient>(sp, http);
        });
        return services;
    }
}
