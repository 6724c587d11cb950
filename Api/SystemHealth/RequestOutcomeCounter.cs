using System.Collections.Concurrent;

namespace Api.SystemHealth;

/// <summary>
/// Requests and server errors (5xx) answered by this process, per minute. <see cref="RequestCountFlusher"/> adds what is
/// new since its last write to <c>request_counts</c> every few seconds and at shutdown; the health answer adds what is
/// not written yet. Counts only grow, and only the flusher moves the written marks, so no request is lost or counted
/// twice between the two.
/// </summary>
public sealed class RequestOutcomeCounter(TimeProvider clock)
{
    private sealed class Minute
    {
        public long Requests;
        public long Errors;
        public long WrittenRequests;
        public long WrittenErrors;
    }

    private readonly ConcurrentDictionary<long, Minute> _minutes = new();

    public void Count(int statusCode)
    {
        var minute = _minutes.GetOrAdd(MinuteOf(clock.GetUtcNow()), _ => new Minute());
        Interlocked.Increment(ref minute.Requests);
        if (statusCode >= 500)
        {
            Interlocked.Increment(ref minute.Errors);
        }
    }

    /// <summary>The counts since <paramref name="since"/> not yet written: what the health answer adds to the database's.</summary>
    public (long Requests, long Errors) Unwritten(DateTimeOffset since)
    {
        long requests = 0, errors = 0;
        foreach (var (key, m) in _minutes)
        {
            if (key >= MinuteOf(since))
            {
                requests += Volatile.Read(ref m.Requests) - Volatile.Read(ref m.WrittenRequests);
                errors += Volatile.Read(ref m.Errors) - Volatile.Read(ref m.WrittenErrors);
            }
        }

        return (requests, errors);
    }

    /// <summary>What is new since the last call, per minute, marked as written (the flusher's only).</summary>
    public IReadOnlyList<RequestCount> TakeUnwritten()
    {
        var now = MinuteOf(clock.GetUtcNow());
        var taken = new List<RequestCount>();
        foreach (var (key, m) in _minutes)
        {
            var (requests, errors) = (Volatile.Read(ref m.Requests), Volatile.Read(ref m.Errors));
            if (requests > m.WrittenRequests || errors > m.WrittenErrors)
            {
                taken.Add(new RequestCount(key, requests - m.WrittenRequests, errors - m.WrittenErrors));
                Volatile.Write(ref m.WrittenRequests, requests);
                Volatile.Write(ref m.WrittenErrors, errors);
            }
            else if (key < now - 1)
            {
                // A minute two minutes past, all written: no request still counts into it.
                _minutes.TryRemove(key, out _);
            }
        }

        return taken;
    }

    /// <summary>Unmarks counts a failed write could not store, so the next write carries them again.</summary>
    public void Unwrite(IEnumerable<RequestCount> counts)
    {
        foreach (var count in counts)
        {
            var m = _minutes.GetOrAdd(count.Minute, _ => new Minute());
            Volatile.Write(ref m.WrittenRequests, m.WrittenRequests - count.Requests);
            Volatile.Write(ref m.WrittenErrors, m.WrittenErrors - count.Errors);
        }
    }

    private static long MinuteOf(DateTimeOffset at) => at.ToUnixTimeSeconds() / 60;
}

/// <summary>Requests and 5xx answers counted in one minute (Unix minutes).</summary>
public sealed record RequestCount(long Minute, long Requests, long Errors)
{
    public DateTimeOffset Start => DateTimeOffset.FromUnixTimeSeconds(Minute * 60);
}

public static class RequestOutcomeCounterExtensions
{
    public static IApplicationBuilder UseRequestOutcomeCounter(this IApplicationBuilder app)
    {
        var counter = app.ApplicationServices.GetRequiredService<RequestOutcomeCounter>();
        return app.Use(async (context, next) =>
        {
            try
            {
                await next(context);
                counter.Count(context.Response.StatusCode);
            }
            catch
            {
                counter.Count(StatusCodes.Status500InternalServerError);
                throw;
            }
        });
    }
}
