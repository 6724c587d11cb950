using AppHost.Postgres;
using Aspire.Hosting;
using Aspire.Hosting.Testing;

namespace EndToEnd.Tests;

/// <summary>The AppHost's resource graph as Aspire builds it, without starting it.</summary>
public sealed class AppHostModelTests
{
    [Fact]
    public async Task RunModeUsesTheLocalClusterWithEachDatabaseAsItsChild()
    {
        await using var builder = await DistributedApplicationTestingBuilder.CreateAsync<Projects.AppHost>(["--AppHost:EphemeralSecrets=true"],
            Ct);

        var postgres = Assert.IsType<LocalPostgresResource>(Single(builder, "postgres"));
        Assert.Null(postgres.ExternalConnectionString);
        Assert.All(new[] { "appdb", "auditdb" }, name => Assert.Same(postgres, Assert.IsType<PostgresAppDatabaseResource>(Single(builder, name)).Parent));
    }

    [Fact]
    public async Task AConfiguredServerIsUsedInsteadOfTheLocalCluster()
    {
        await using var builder = await DistributedApplicationTestingBuilder.CreateAsync<Projects.AppHost>(
            ["--AppHost:EphemeralSecrets=true", "--ConnectionStrings:postgres=Host=db.example;Port=6543;Username=admin;Password=secret"],
            Ct);

        var postgres = Assert.IsType<LocalPostgresResource>(Single(builder, "postgres"));
        Assert.Equal("db.example", postgres.AddressHost);
        Assert.Equal(6543, postgres.AddressPort);
        var appDb = Assert.IsType<PostgresAppDatabaseResource>(Single(builder, "appdb"));
        Assert.StartsWith("Host=db.example;Port=6543;Database=appdb;Username=appdb_app;Password=", appDb.ConnectionStringExpression.ValueExpression);
    }

    [Fact]
    public async Task PublishModeUsesAspiresPostgreSqlContainerWithTheSameDatabasesAndRoles()
    {
        await using var builder = await DistributedApplicationTestingBuilder.CreateAsync<Projects.AppHost>(
            ["--AppHost:EphemeralSecrets=true", "--operation", "publish", "--publisher", "manifest", "--output-path", Path.GetTempPath()],
            Ct);

        var postgres = Assert.IsType<PostgresServerResource>(Single(builder, "postgres"));
        Assert.All(new[] { "appdb", "auditdb" }, name => Assert.Same(postgres, Assert.IsType<PostgresAppDatabaseResource>(Single(builder, name)).Parent));
        Assert.Contains(postgres.Annotations.OfType<ContainerMountAnnotation>(), m => m.Target.StartsWith("/docker-entrypoint-initdb.d", StringComparison.Ordinal));
    }

    private static IResource Single(IDistributedApplicationTestingBuilder builder, string name) => Assert.Single(builder.Resources, r => r.Name == name);
}
