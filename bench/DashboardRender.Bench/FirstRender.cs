using System.Diagnostics;
using Microsoft.Playwright;
using Testing;

namespace DashboardRender.Bench;

/// <summary>
/// Signs in through the Dashboard's form, then opens /audit in a fresh page each time and times navigation
/// start until the first audit row is visible (the prerendered HTML carries the rows).
/// </summary>
public sealed class FirstRender(AppHostProcess host, IBrowser browser)
{
    /// <summary>Milliseconds from navigation start (the page's own clock) and, for comparison, the client's Stopwatch.</summary>
    public sealed record Timing(double FirstRowMs, double ResponseStartMs, double ResponseEndMs, double DomContentLoadedMs, double FirstPaintMs, double StopwatchMs);

    // Polled on every animation frame: the time at which the first row has a layout box.
    private const string FirstRowVisible = """
        () => {
            const row = document.querySelector('[data-testid=audit-events] tbody tr');
            return row && row.getBoundingClientRect().height > 0 ? performance.now() : null;
        }
        """;

    private const string ResourceTiming = """
        () => JSON.stringify(performance.getEntriesByType('resource').map(r =>
            [r.name.split('/').pop().slice(0, 30), Math.round(r.startTime), Math.round(r.responseEnd), r.transferSize, r.renderBlockingStatus]))
        """;

    private const string NavigationTiming = """
        () => {
            const n = performance.getEntriesByType('navigation')[0];
            const paint = performance.getEntriesByName('first-contentful-paint')[0];
            return [n.responseStart, n.responseEnd, n.domContentLoadedEventEnd, paint ? paint.startTime : -1];
        }
        """;

    public async Task<List<Timing>> MeasureAsync(string email, int repetitions)
    {
        await using var context = await browser.NewContextAsync();
        var signIn = await context.NewPageAsync();
        await signIn.GotoAsync(new Uri(host.Url("dashboard"), "/sign-in").ToString());
        await signIn.FillAsync("#email", email);
        await signIn.FillAsync("#password", host.Secret($"user-{email}"));
        await signIn.ClickAsync("[data-testid=sign-in-submit]");
        await signIn.WaitForURLAsync(url => !url.Contains("/sign-in", StringComparison.Ordinal));
        await signIn.CloseAsync();

        var timings = new List<Timing>();
        var errors = new List<string>();
        for (var i = -2; i < repetitions; i++)
        {
            var page = await context.NewPageAsync();
            page.Console += (_, message) =>
            {
                if (message.Type == "error")
                {
                    errors.Add(message.Text);
                }
            };
            var clock = Stopwatch.StartNew();
            await page.GotoAsync(new Uri(host.Url("dashboard"), "/audit").ToString(), new() { WaitUntil = WaitUntilState.Commit });
            var seen = await page.WaitForFunctionAsync(FirstRowVisible, null, new() { Timeout = 60_000 });
            clock.Stop();
            var firstRow = await seen.JsonValueAsync<double>();
            await page.WaitForLoadStateAsync(LoadState.DOMContentLoaded);
            var navigation = await page.EvaluateAsync<double[]>(NavigationTiming);
            if (i >= 0)
            {
                timings.Add(new Timing(firstRow, navigation[0], navigation[1], navigation[2], navigation[3], clock.Elapsed.TotalMilliseconds));
            }

            if (Environment.GetEnvironmentVariable("BENCH_DIAG") is not null)
            {
                Console.WriteLine(await page.EvaluateAsync<string>(ResourceTiming));
            }

            // Let the interactive circuit's own load finish so it does not weigh on the next repetition.
            await Task.Delay(TimeSpan.FromMilliseconds(750));
            await page.CloseAsync();
        }

        if (errors.Count > 0)
        {
            Console.WriteLine($"browser console errors for {email}: {string.Join(" | ", errors.Distinct())}");
        }

        return timings;
    }
}
