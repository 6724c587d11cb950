using Api.Usage;
using Microsoft.Extensions.Options;

namespace Api.PipelineTests;

public sealed class TenantLabelsTests
{
    [Fact]
    public void TheConfiguredTenantsAndTheFirstTopOthersKeepTheirSlugAndEveryLaterTenantIsOther()
    {
        var labels = new TenantLabels(Options.Create(new TenantLabelOptions { Top = 2, Always = ["bigcorp"] }));

        Assert.Equal(["acme", "globex", "other", "acme", "bigcorp", "other"],
            new[] { "acme", "globex", "initech", "acme", "bigcorp", "umbrella" }.Select(labels.Of));
    }

    [Fact]
    public void ManyTenantsAtOnceNeverGetMoreThanTopLabels()
    {
        var labels = new TenantLabels(Options.Create(new TenantLabelOptions { Top = 10 }));

        var given = Enumerable.Range(0, 1000).AsParallel().Select(i => labels.Of($"tenant-{i}")).Distinct().ToList();

        Assert.Equal(11, given.Count);
        Assert.Contains(TenantLabels.Other, given);
    }
}
