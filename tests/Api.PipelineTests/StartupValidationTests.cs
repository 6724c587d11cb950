using Audit.Contracts;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;

namespace Api.PipelineTests;

public sealed class StartupValidationTests
{
    [Theory]
    [InlineData("Pipeline:Lease", "00:00:00", "Lease")]
    [InlineData("Pipeline:WorkerCount", "0", "WorkerCount")]
    [InlineData("Pipeline:BaseBackoff", "01:00:00", "BaseBackoff")]
    [InlineData("Llm:Model", "unpriced-model", "Llm:Prices:simulated:unpriced-model is missing")]
    [InlineData("Llm:Provider", "openai", "Llm:Endpoint is required")]
    [InlineData("Llm:Prices:simulated:sim-gpt-4o-mini:Output", "-1", "must be zero or more")]
    [InlineData("AlertWebhook:Secret", "too-short", "AlertWebhook")]
    [InlineData("Plans:free:MonthlyBudgetUsd", "0", "Plans:free, Plans:pro and Plans:team each need a MonthlyBudgetUsd above 0")]
    [InlineData("Mail:From", "not an address", "Mail:From must be a mail address")]
    [InlineData("Mail:SmtpUserName", "alerts", "Mail:SmtpPassword is required with Mail:SmtpUserName")]
    [InlineData("Mail:SmtpPort", "70000", "SmtpPort")]
    public void InvalidSettingsStopTheApiAtStartWithTheReason(string key, string value, string reason)
    {
        using var factory = new WebApplicationFactory<Program>().WithWebHostBuilder(builder =>
        {
            builder.UseEnvironment("Testing");
            // Validation runs before anything connects, so no database is needed.
            builder.UseSetting("ConnectionStrings:appdb", "Host=127.0.0.1;Port=1;Username=nobody;Password=none");
            builder.UseSetting("AuditClient:ApiKey", ApiKeyFormat.New());
            builder.UseSetting("AlertWebhook:Secret", "startup-validation-webhook-secret-0123456789");
            builder.UseSetting(key, value);
        });

        var error = Record.Exception(() => factory.Server);

        Assert.NotNull(error);
        Assert.Contains(reason, error.ToString());
    }
}
