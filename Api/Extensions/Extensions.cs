using Api.Alerts;
using Api.ApiDescription;
using Api.SystemHealth;
using Api.Llm;
using Api.Mail;
using Api.Pipeline;
using Api.Tenants;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Identity;
using Microsoft.IdentityModel.Tokens;
using static Microsoft.Extensions.Hosting.Extensions;

namespace Api.Extensions;

public static class Extensions
{
    public static void AddApplicationServices(this IHostApplicationBuilder builder)
    {
        builder.AddPostgresDatabase("appdb", typeof(Extensions), PostgresPlanCaching.Apply);
        builder.Services.AddSingleton<Data.AppDb>();
        builder.AddAuditClient();
        builder.Services.AddExceptionHandler<FailedWriteAudit>();
        builder.AddLlm();
        builder.AddPipeline();
        builder.AddAlerts();
        builder.AddMail();
        builder.Services.AddSingleton(TimeProvider.System);

        builder.Services.AddValidatedOptions<JwtOptions>(JwtOptions.SectionName);
        builder.Services.AddOptions<SeedOptions>().BindConfiguration(SeedOptions.SectionName);
        builder.Services.AddSingleton<SigningKeys>();
        builder.Services.AddSingleton<TokenService>();
        builder.Services.AddSingleton<UserStore>();
        builder.Services.AddSingleton<TenantStore>();
        builder.Services.AddSingleton<Feedback.FeedbackStore>();
        builder.Services.AddSingleton<IPasswordHasher<User>, PasswordHasher<User>>();
        builder.Services.AddHostedService<IdentityStartup>();

        builder.Services.AddAuthentication(JwtBearerDefaults.AuthenticationScheme).AddJwtBearer();
        builder.Services.AddOptions<JwtBearerOptions>(JwtBearerDefaults.AuthenticationScheme)
            .Configure<SigningKeys, IOptions<JwtOptions>>((bearer, keys, jwt) =>
            {
                bearer.MapInboundClaims = false;
                bearer.TokenValidationParameters = new TokenValidationParameters
                {
                    ValidIssuer = jwt.Value.Issuer,
                    ValidAudience = jwt.Value.Audience,
                    IssuerSigningKeyResolver = (_, _, _, _) => [keys.Current],
                    NameClaimType = TokenClaims.Name,
                    RoleClaimType = TokenClaims.Role,
                    ClockSkew = TimeSpan.FromSeconds(30),
                };
            });
        // Operators (super admins) may read /health's details outside Development.
        builder.Services.AddAuthorizationBuilder().AddPolicy(HealthDetailsPolicy, p => p.RequireRole(Roles.SuperAdmin));
        builder.AddIdentitySessions();
        builder.AddTenantPlans();
        builder.AddSystemHealth();
        builder.AddApiDescription();

        builder.Services.AddRateLimiter(options =>
        {
            options.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            options.OnRejected = async (context, ct) =>
            {
                context.HttpContext.Response.Headers.RetryAfter = "60";
                await context.HttpContext.RequestServices.GetRequiredService<IProblemDetailsService>().WriteAsync(new ProblemDetailsContext
                {
                    HttpContext = context.HttpContext,
                    ProblemDetails = { Status = 429, Title = "Too many attempts", Detail = "Wait a minute before trying again." },
                });
            };
        });
    }
}
