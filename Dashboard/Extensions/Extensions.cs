using Dashboard.Components;
using Microsoft.AspNetCore.Authentication.Cookies;
using MudBlazor.Services;

namespace Dashboard.Extensions;

public static class Extensions
{
    public static void AddApplicationServices(this IHostApplicationBuilder builder)
    {
        // Development shows a circuit's exception in the browser console; elsewhere it stays on the server.
        builder.Services.AddRazorComponents().AddInteractiveServerComponents(o => o.DetailedErrors = builder.Environment.IsDevelopment())
            .AddHubOptions(o => o.MaximumReceiveMessageSize = PrerenderState.HubMessageLimit);
        builder.Services.AddMudServices();

        builder.Services.AddValidatedOptions<DashboardOptions>(DashboardOptions.SectionName);

        // The browser holds only a cookie naming a server-side session; the Api's tokens never leave the server.
        builder.Services.AddAuthentication(CookieAuthenticationDefaults.AuthenticationScheme)
            .AddCookie(options =>
            {
                options.LoginPath = "/sign-in";
                options.LogoutPath = "/account/sign-out";
                options.AccessDeniedPath = "/forbidden";
                options.Cookie.Name = "dashboard.session";
                options.Cookie.HttpOnly = true;
                options.Cookie.SameSite = SameSiteMode.Strict;
                options.SlidingExpiration = true;
                options.ExpireTimeSpan = TimeSpan.FromHours(8);
                options.Events.OnValidatePrincipal = SessionValidator.ValidateAsync;
            });
        // Operators (super admins) may read /health's details outside Development.
        builder.Services.AddAuthorizationBuilder().AddPolicy(Microsoft.Extensions.Hosting.Extensions.HealthDetailsPolicy,
            p => p.RequireRole(Roles.SuperAdmin));
        builder.Services.AddCascadingAuthenticationState();

        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddSingleton<SessionStore>();
        builder.Services.AddSingleton<TokenValidator>();
        builder.Services.AddHttpContextAccessor();
        builder.Services.AddScoped<CurrentSession>();
        builder.Services.AddScoped<Time.ReaderTimeZone>();

        builder.Services.AddHttpClient<IdentityClient>((sp, http) => http.BaseAddress = sp.Options().ApiEndpoint);
        builder.Services.AddHttpClient<HealthClient>();
        // One typed client per feature, each sending as the signed-in user.
        builder.Services
            .AddSignedInClient<TenantsClient>(Backend.Api)
            .AddSignedInClient<MembersClient>(Backend.Api)
            .AddSignedInClient<UsageClient>(Backend.Api)
            .AddSignedInClient<PipelineClient>(Backend.Api)
            .AddSignedInClient<FeedbackClient>(Backend.Api)
            .AddSignedInClient<NotificationsClient>(Backend.Api)
            .AddSignedInClient<SystemHealthClient>(Backend.Api)
            .AddSignedInClient<AuditLogClient>(Backend.AuditService)
            .AddSignedInClient<RetentionClient>(Backend.AuditService);
    }

    private static DashboardOptions Options(this IServiceProvider services) =>
        services.GetRequiredService<Microsoft.Extensions.Options.IOptions<DashboardOptions>>().Value;
}
