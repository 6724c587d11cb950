using System.Net;
using System.Net.Http.Json;
using Api.SystemHealth;

namespace Api.FunctionalTests;

[Collection(ApiCollection.Name)]
public sealed class SystemHealthTests(ApiFixture api)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task PlatformStaffSeeHealthWithDatabaseErrorRateAndActivity()
    {
        await api.SignInAsync(ApiFixture.AcmeMember);
        using var root = await api.ClientForAsync(ApiFixture.SuperAdmin);
        var report = await root.GetFromJsonAsync<SystemHealthReport>("/api/system/health", Ct);

        Assert.Equal("healthy", report!.Status);
        Assert.True(report.Database.Connected);
        Assert.True(report.Database.QueryMilliseconds > 0);
        Assert.True(report.RequestsLastHour > 0);
        Assert.Equal(0, report.ServerErrorsLastHour);
        Assert.True(report.Activity!.SignInsLastHour >= 2);
        Assert.True(report.Activity.Tenants >= 2);
    }

    [Theory]
    [InlineData(ApiFixture.AcmeAdmin, HttpStatusCode.Forbidden)]
    [InlineData(ApiFixture.AcmeMember, HttpStatusCode.Forbidden)]
    [InlineData(ApiFixture.Support, HttpStatusCode.OK)]
    public async Task HealthIsForPlatformStaff(string email, HttpStatusCode expected)
    {
        using var client = await api.ClientForAsync(email);
        Assert.Equal(expected, (await client.GetAsync("/api/system/health", Ct)).StatusCode);
    }
}
