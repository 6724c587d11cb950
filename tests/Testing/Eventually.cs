namespace Testing;

public static class Eventually
{
    /// <summary>Polls until the probe returns a value (state reached across processes), or fails after the timeout.</summary>
    public static async Task<T> Async<T>(Func<Task<T?>> probe, int seconds = 60)
    {
        var deadline = DateTime.UtcNow.AddSeconds(seconds);
        while (true)
        {
            var value = await probe();
            if (value is not null)
            {
                return value;
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException("The expected state was not reached in time.");
            }

            await Task.Delay(250);
        }
    }
}
