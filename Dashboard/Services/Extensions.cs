using System.ComponentModel.DataAnnotations;

namespace Dashboard.Services;

public static class Extensions
{
    public static void AddApplicationServices(this IHostApplicationBuilder builder)
    {
        builder.Services.AddRazorComponents().AddInteractiveServerComponents();

        builder.Services.AddOptions<AuditServiceOptions>().BindConfiguration(AuditServiceOptions.SectionName)
            .ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddHttpClient<AuditServiceClient>((sp, http) =>
        {
            var options = sp.GetRequiredService<Microsoft.Extensions.Options.IOptions<AuditServiceOptions>>().Value;
            http.BaseAddress = options.Endpoint;
            http.DefaultRequestHeaders.Add("X-Api-Key", options.ApiKey);
        });
    }
}

public sealed class AuditServiceOptions
{
    public const string SectionName = "AuditService";

    [Required]
    public Uri Endpoint { get; set; } = new("https+http://auditservice");

    [Required]
    public string ApiKey { get; set; } = "";
}
