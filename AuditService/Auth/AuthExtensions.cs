using System.Net.Http;
using AuditService.ApiKeys;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.IdentityModel.Protocols;
using Microsoft.IdentityModel.Protocols.OpenIdConnect;
using Microsoft.IdentityModel.Tokens;

namespace AuditService.Auth;

public static class AuthExtensions
{
    /// <summary>The read API's scheme: a bearer token from the Api when one is sent, otherwise an API key.</summary>
    public const string ReaderScheme = "Reader";
    public const string ReaderPolicy = "audit-reader";

    /// <summary>Platform operations (retention): a super admin's bearer token, nothing else.</summary>
    public const string SuperAdminPolicy = "audit-super-admin";
    public const string JwksHttpClient = "jwks";

    public static void AddReaderAuthentication(this IHostApplicationBuilder builder, AuthenticationBuilder authentication)
    {
        builder.Services.AddValidatedOptions<TokenOptions>(TokenOptions.SectionName);
        builder.Services.AddHttpClient(JwksHttpClient);

        authentication
            .AddJwtBearer(JwtBearerDefaults.AuthenticationScheme, _ => { })
            .AddPolicyScheme(ReaderScheme, ReaderScheme, options => options.ForwardDefaultSelector = http =>
                http.Request.Headers.Authorization.ToString().StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase)
                    ? JwtBearerDefaults.AuthenticationScheme
                    : ApiKeyAuthenticationHandler.SchemeName);

        builder.Services.AddSingleton<IConfigureOptions<JwtBearerOptions>, ConfigureJwtBearer>();
        builder.Services.AddAuthorizationBuilder().AddPolicy(ReaderPolicy, policy => policy
            .AddAuthenticationSchemes(ReaderScheme)
            .RequireAuthenticatedUser()
            .RequireAssertion(context => context.Resource is HttpContext http
                ? ReaderScope.From(http) is not null
                : context.User.HasClaim(ApiKeyAuthenticationHandler.PermissionClaim, ApiKeyPermissions.Read)
                  || ReaderScope.FromToken(context.User) is not null))
            .AddPolicy(SuperAdminPolicy, policy => policy
                .AddAuthenticationSchemes(ReaderScheme)
                .RequireAuthenticatedUser()
                .RequireAssertion(context => ReaderScope.FromToken(context.User)?.Kind == Roles.SuperAdmin));

        // Operators (a platform read key, a super admin's token) may read /health's details.
        builder.Services.AddAuthorizationBuilder().AddPolicy(Microsoft.Extensions.Hosting.Extensions.HealthDetailsPolicy, policy => policy
            .AddAuthenticationSchemes(ReaderScheme)
            .RequireAuthenticatedUser()
            .RequireAssertion(context => context.Resource is HttpContext http && ReaderScope.From(http) is { IsAllTenants: true }));
    }

    private const string JwksUnavailable = "audit.jwks_unavailable";

    private sealed class ConfigureJwtBearer(IOptions<TokenOptions> tokens, IHttpClientFactory clients, IProblemDetailsService problems)
        : IConfigureNamedOptions<JwtBearerOptions>
    {
        public void Configure(string? name, JwtBearerOptions options)
        {
            if (name != JwtBearerDefaults.AuthenticationScheme)
            {
                return;
            }

            var settings = tokens.Value;
            options.MapInboundClaims = false;
            options.TokenValidationParameters = new TokenValidationParameters
            {
                ValidIssuer = settings.Issuer,
                ValidAudience = settings.Audience,
                ValidAlgorithms = [SecurityAlgorithms.RsaSha256],
                NameClaimType = TokenClaims.Subject,
                RoleClaimType = TokenClaims.Role,
                ClockSkew = TimeSpan.FromSeconds(30),
            };

            // Fetched on the first token, not at start-up: the Api starts after this service.
            options.ConfigurationManager = new ConfigurationManager<OpenIdConnectConfiguration>(
                settings.JwksUrl, new JwksRetriever(),
                new HttpDocumentRetriever(clients.CreateClient(JwksHttpClient)) { RequireHttps = false })
            {
                AutomaticRefreshInterval = settings.RefreshInterval,
                RefreshInterval = TimeSpan.FromSeconds(30),
            };
            options.Events = new JwtBearerEvents
            {
                // The Api's keys could not be fetched (it is down): the token was not judged, so this is an outage.
                OnAuthenticationFailed = context =>
                {
                    if (DependencyOutage.Of(context.Exception) is not null)
                    {
                        context.HttpContext.Items[JwksUnavailable] = true;
                    }

                    return Task.CompletedTask;
                },
                OnChallenge = async context =>
                {
                    context.HandleResponse();
                    if (context.HttpContext.Items.ContainsKey(JwksUnavailable))
                    {
                        context.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
                        context.Response.Headers.RetryAfter = DependencyOutage.RetryAfterSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
                        await problems.WriteAsync(new ProblemDetailsContext
                        {
                            HttpContext = context.HttpContext,
                            ProblemDetails =
                            {
                                Status = 503, Title = "Service unavailable",
                                Detail = "The keys that verify bearer tokens cannot be fetched from the Api right now; retry later.",
                            },
                        });
                        return;
                    }

                    context.Response.StatusCode = StatusCodes.Status401Unauthorized;
                    await problems.WriteAsync(new ProblemDetailsContext
                    {
                        HttpContext = context.HttpContext,
                        ProblemDetails =
                        {
                            Status = 401, Title = "Unauthorized",
                            Detail = context.AuthenticateFailure is null ? "A bearer token is required." : "The bearer token is invalid or expired.",
                        },
                    });
                },
            };
        }

        public void Configure(JwtBearerOptions options) => Configure(Options.DefaultName, options);
    }
}
