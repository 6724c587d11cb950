using System.Diagnostics;
using Microsoft.Playwright;
using Testing;

namespace DashboardRender.Bench;

/// <summary>
/// Signs in through the Dashboard's form, then opens /audit in a fresh page each time and times navigation
/// start until the first audit row is visible (the prerendered HTML carries the rows).
/// </summary>
public sealed class FirstRender(PlatformApp host, IBrowser browser)
{
    /// <summary>Milliseconds from navigation start (the page's own clock) and, for comparison, the client's Stopwatch.</summary>
    public sealed record Timing(double FirstRowMs, double ObservedFirstRowMs, double ResponseStartMs, double ResponseEndMs, double DomContentLoadedMs,
        double FirstPaintMs, double StopwatchMs, double SummaryMs);

    // Polled on every animation frame: the time at which the first row has a layout box.
    private const string FirstRowVisible = """
        () => {
            const row = document.querySelector('[data-testid=audit-events] tbody tr');
            return row && row.getBoundingClientRect().height > 0 ? performance.now() : null;
        }
        """;

    // The 24-hour summary arrives once the page is interactive (it never holds up the first rows): when its figures show.
    private const string SummaryLoaded = """
        () => document.querySelector('[data-testid=audit-summary][data-loaded=true]') ? performance.now() : null
        """;

    private const string ResourceTiming = """
        () => JSON.stringify(performance.getEntriesByType('resource').map(r =>
            [r.name.split('/').pop().slice(0, 30), Math.round(r.startTime), Math.round(r.responseEnd), r.transferSize, r.renderBlockingStatus]))
        """;

    // From the document's start, the first animation frame in which the first row has a layout box: the same moment
    // as FirstRowVisible without the latency of Playwright installing its poll after the response has begun.
    private const string WatchFirstRow = """
        (() => {
            const watch = () => {
                const row = document.querySelector('[data-testid=audit-events] tbody tr');
                if (row && row.getBoundingClientRect().height > 0) { window.__firstRow = performance.now(); } else { requestAnimationFrame(watch); }
            };
            requestAnimationFrame(watch);
        })();
        """;

    // BENCH_DIAG only: long animation frames (Chromium's LoAF) before the first row, with the scripts that ran in them.
    private const string RecordLongFrames = """
        window.__frames = [];
        new PerformanceObserver(list => window.__frames.push(...list.getEntries())).observe({ type: 'long-animation-frame', buffered: true });
        """;

    private const string LongFrames = """
        () => JSON.stringify(window.__frames.map(f => [Math.round(f.startTime), Math.round(f.duration), Math.round(f.renderStart), Math.round(f.styleAndLayoutStart),
            f.scripts.map(s => [s.sourceURL.split('/').pop().slice(0, 30) || s.invoker.slice(0, 30), Math.round(s.startTime), Math.round(s.duration)])]))
        """;

    private const string NavigationTiming = """
        () => {
            const n = performance.getEntriesByType('navigation')[0];
            const paint = performance.getEntriesByName('first-contentful-paint')[0];
            return [n.responseStart, n.responseEnd, n.domContentLoadedEventEnd, paint ? paint.startTime : -1, window.__firstRow ?? -1];
        }
        """;

    public async Task<List<Timing>> MeasureAsync(string email, int repetitions)
    {
        await using var context = await browser.NewContextAsync();
        var signIn = await context.NewPageAsync();
        await signIn.GotoAsync(new Uri(host.Url("dashboard"), "/sign-in").ToString());
        await signIn.FillAsync("#email", email);
        await signIn.FillAsync("#password", host.Password(email));
        await signIn.ClickAsync("[data-testid=sign-in-submit]");
        await signIn.WaitForURLAsync(url => !url.Contains("/sign-in", StringComparison.Ordinal));
        await signIn.CloseAsync();

        var timings = new List<Timing>();
        var errors = new List<string>();
        await context.AddInitScriptAsync(WatchFirstRow);
        var diagnose = Environment.GetEnvironmentVariable("BENCH_DIAG") is not null;
        if (diagnose)
        {
            await context.AddInitScriptAsync(RecordLongFrames);
        }

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
            var summary = await (await page.WaitForFunctionAsync(SummaryLoaded, null, new() { Timeout = 60_000 })).JsonValueAsync<double>();
            if (i >= 0)
            {
                timings.Add(new Timing(firstRow, navigation[4], navigation[0], navigation[1], navigation[2], navigation[3], clock.Elapsed.TotalMilliseconds, summary));
            }

            if (diagnose)
            {
                Console.WriteLine($"first row {firstRow:N0} ms; resources {await page.EvaluateAsync<string>(ResourceTiming)}");
                Console.WriteLine($"  long frames [start, duration, renderStart, styleAndLayoutStart, scripts] {await page.EvaluateAsync<string>(LongFrames)}");
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
