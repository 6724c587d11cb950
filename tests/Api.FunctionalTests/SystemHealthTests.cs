using System.Diagnostics;
using System.Globalization;
using Api.SystemHealth;
using Microsoft.AspNetCore.Hosting;

namespace Api.FunctionalTests;

public sealed class SystemHealthTests(ApiFixture api)
{
    [Fact]
    public async Task PlatformStaffSeeHealthWithDatabaseErrorRateAndActivity()
    {
        await api.SignInAsync(ApiFixture.AcmeMember);
        var report = await api.ReadAsAsync<SystemHealthReport>(ApiFixture.SuperAdmin, "/api/system/health");

        Assert.Equal("healthy", report.Status);
        Assert.True(report.Database.Connected);
        Assert.True(report.Database.QueryMilliseconds > 0);
        Assert.True(report.RequestsLastHour > 0);
        // Another test of this fixture may have caused a 5xx on purpose (an unhandled write failure): exactly those count.
        var answered5xx = api.Telemetry.SpansNow().Count(s => s.Kind == ActivityKind.Server
            && Convert.ToInt32(s.GetTagItem("http.response.status_code") ?? 0, CultureInfo.InvariantCulture) >= 500);
        Assert.Equal(answered5xx, report.ServerErrorsLastHour);
        Assert.True(report.Activity!.PeopleSignedInLastHour >= 2);
        Assert.True(report.Activity.Tenants >= 2);
    }

    [Fact]
    public async Task RequestCountsSurviveTheProcessThatAnsweredThem()
    {
        using var root = await api.ClientForAsync(ApiFixture.SuperAdmin);
        var before = (await root.GetFromJsonAsync<SystemHealthReport>("/api/system/health", Ct))!;

        // Another Api process over the same database answers 30 requests, then stops (as in a restart or a redeploy);
        // its counts are written when it stops, not before (its flush interval is longer than the test).
        await using (var gone = api.WithWebHostBuilder(b => b.UseSetting("SystemHealth:FlushInterval", "00:10:00")))
        {
            using var anonymous = gone.CreateClient();
            for (var i = 0; i < 30; i++)
            {
                Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync("/api/tenants", Ct)).StatusCode);
            }
        }

        var after = (await root.GetFromJsonAsync<SystemHealthReport>("/api/system/health", Ct))!;
        // This process's own two requests in between count too.
        Assert.InRange(after.RequestsLastHour - before.RequestsLastHour, 30, 35);
        Assert.Equal(before.ServerErrorsLastHour, after.ServerErrorsLastHour);
    }

    [Theory]
    [InlineData(ApiFixture.AcmeAdmin, HttpStatusCode.Forbidden)]
    [InlineData(ApiFixture.AcmeMember, HttpStatusCode.Forbidden)]
    [InlineData(ApiFixture.Support, HttpStatusCode.OK)]
    public async Task HealthIsForPlatformStaff(string email, HttpStatusCode expected)
    {
        Assert.Equal(expected, await api.StatusForAsync(email, HttpMethod.Get, "/api/system/health"));
    }
}
