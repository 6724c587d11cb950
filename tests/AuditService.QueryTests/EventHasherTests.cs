using AuditService.Chain;
using AuditService.Data;
using Xunit;

namespace AuditService.QueryTests;

/// <summary>
/// The chain format is permanent: every stored hash was computed with it, so a faster hasher must give the very
/// same bytes. These values were computed by the first (allocating) implementation.
/// </summary>
public sealed class EventHasherTests
{
    private static readonly Guid Tenant = Guid.Parse("0193a5f0-0000-7000-8000-000000000001");

    private static AuditEvent Sample(IPAddress? ip) => new(
        Guid.Parse("0193a5f0-1234-7abc-8def-0123456789ab"), Tenant, new DateTimeOffset(2026, 11, 23, 21, 40, 1, 123, TimeSpan.Zero).AddTicks(4560),
        "human", "user-1", "Zoë \"Z\" O'Neil", "zoe@example.com", "lead.updated", "audit", "warning",
        "lead", "42", "Big deal", "Line one\r\nline two\t\u0001 ✓", "{\"stage\":\"new\"}", "{\"stage\":\"won\",\"value\":1250.5}", null,
        "boom", null, ip, "Mozilla/5.0", "0af7651916cd43dd8448eb211c80319c", "b7ad6b7169203331", "api");

    [Theory]
    [InlineData("203.0.113.7", "7ac3a44c6b53af2564bbed93453053efa82b1351ed4749805ed3c3eb5f71d9ea")]
    [InlineData("2001:db8::1", "0022aa893a0e7ff9709df15a8ec7be11dd168a244b0eb68c67a28f370fb05a2f")]
    [InlineData(null, "c14d58b977976a72c26c9d82ce56f13967d15daa73c4efe8fbbfe824a8147718")]
    public void HashIsTheSameAsTheFormatsFirstImplementation(string? ip, string expected)
    {
        var prev = Enumerable.Range(0, 32).Select(i => (byte)(i * 7)).ToArray();
        var recordedAt = new DateTimeOffset(2026, 11, 23, 21, 40, 2, TimeSpan.Zero).AddTicks(10);

        var hash = EventHasher.Hash(Sample(ip is null ? null : IPAddress.Parse(ip)), Tenant, 42, recordedAt, prev);

        Assert.Equal(expected, Convert.ToHexStringLower(hash));
    }

    [Fact]
    public void HashingOnManyThreadsGivesTheSameHash()
    {
        var e = Sample(IPAddress.Loopback);
        var expected = EventHasher.Hash(e, Tenant, 1, e.OccurredAt, EventHasher.GenesisHash);

        var hashes = Enumerable.Range(0, 64).AsParallel().Select(i => EventHasher.Hash(e, Tenant, 1, e.OccurredAt, EventHasher.GenesisHash)).ToList();

        Assert.All(hashes, h => Assert.Equal(expected, h));
    }
}
