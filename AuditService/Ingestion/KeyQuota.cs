using System.Collections.Concurrent;
using System.Threading.RateLimiting;

namespace AuditService.Ingestion;

/// <summary>A token bucket of events per API key: a steady rate with bursts up to ten seconds' worth.</summary>
public sealed class KeyQuota(IOptions<IngestOptions> options)
{
    private readonly ConcurrentDictionary<Guid, TokenBucketRateLimiter> _buckets = new();

    public bool TryTake(Guid keyId, int events, out TimeSpan retryAfter)
    {
        var rate = options.Value.EventsPerSecondPerKey;
        var bucket = _buckets.GetOrAdd(keyId, _ => new TokenBucketRateLimiter(new TokenBucketRateLimiterOptions
        {
            TokenLimit = rate * 10,
            TokensPerPeriod = rate,
            ReplenishmentPeriod = TimeSpan.FromSeconds(1),
            QueueLimit = 0,
            AutoReplenishment = true,
        }));

        using var lease = bucket.AttemptAcquire(Math.Min(events, rate * 10));
        if (lease.IsAcquired)
        {
            retryAfter = TimeSpan.Zero;
            return true;
        }

        retryAfter = lease.TryGetMetadata(MetadataName.RetryAfter, out var after) ? after : TimeSpan.FromSeconds(1);
        return false;
    }
}
