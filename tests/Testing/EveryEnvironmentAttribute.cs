using System.Reflection;
using Xunit;
using Xunit.Sdk;
using Xunit.v3;

namespace Testing;

/// <summary>
/// A theory's rows: each environment a service runs in, Development (what the AppHost runs) and Production (what is
/// deployed). Error pages, logging and problem details differ between the two, so a guarantee about them is held in both.
/// </summary>
public sealed class EveryEnvironmentAttribute : DataAttribute
{
    public static IReadOnlyList<string> Environments { get; } = ["Development", "Production"];

    public override ValueTask<IReadOnlyCollection<ITheoryDataRow>> GetData(MethodInfo testMethod, DisposalTracker disposalTracker) =>
        ValueTask.FromResult<IReadOnlyCollection<ITheoryDataRow>>([.. Environments.Select(e => new TheoryDataRow<string>(e))]);

    public override bool SupportsDiscoveryEnumeration() => true;
}
