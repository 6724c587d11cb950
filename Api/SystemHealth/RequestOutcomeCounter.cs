namespace Api.SystemHealth;

/// <summary>Requests and server errors (5xx) per minute over the last hour, in memory, for the system health answer.</summary>
public sealed class RequestOutcomeCounter(TimeProvider clock)
{
    private const int Minutes = 60;
    private readonly long[] _minute = new long[Minutes];
    private readonly long[] _requests = new long[Minutes];
    private readonly long[] _errors = new long[Minutes];

    public void Count(int statusCode)
    {
        var slot = Slot(out var minute);
        if (Interlocked.Exchange(ref _minute[slot], minute) != minute)
        {
            Interlocked.Exchange(ref _requests[slot], 0);
            Interlocked.Exchange(ref _errors[slot], 0);
        }

        Interlocked.Increment(ref _requests[slot]);
        if (statusCode >= 500)
        {
            Interlocked.Increment(ref _errors[slot]);
        }
    }

    /// <summary>Requests and 5xx answers in the last 60 minutes.</summary>
    public (long Requests, long Errors) LastHour()
    {
        Slot(out var now);
        long requests = 0, errors = 0;
        for (var i = 0; i < Minutes; i++)
        {
            if (now - Volatile.Read(ref _minute[i]) < Minutes)
            {
                requests += Volatile.Read(ref _requests[i]);
                errors += Volatile.Read(ref _errors[i]);
            }
        }

        return (requests, errors);
    }

    private int Slot(out long minute)
    {
        minute = clock.GetUtcNow().ToUnixTimeSeconds() / 60;
        return (int)(minute % Minutes);
    }
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
