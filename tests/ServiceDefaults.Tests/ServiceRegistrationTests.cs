using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace ServiceDefaults.Tests;

public sealed class ServiceRegistrationTests
{
    [Fact]
    public async Task EveryClassOfInstrumentsIsCreatedWhenTheHostStartsNotOnlyTheFirst()
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Services.AddSingleton<Created>();
        builder.Services.AddInstruments<FirstInstruments>();
        builder.Services.AddInstruments<SecondInstruments>();
        using var host = builder.Build();
        var created = host.Services.GetRequiredService<Created>();
        Assert.Empty(created.Names);

        await host.StartAsync(Ct);

        Assert.Equal(["first", "second"], created.Names);
        await host.StopAsync(Ct);
    }

    private sealed class Created
    {
        public List<string> Names { get; } = [];
    }

    private sealed class FirstInstruments
    {
        public FirstInstruments(Created created) => created.Names.Add("first");
    }

    private sealed class SecondInstruments
    {
        public SecondInstruments(Created created) => created.Names.Add("second");
    }
}
