namespace DashboardRender.Bench;

public static class Report
{
    public static void Print(string user, List<FirstRender.Timing> render, List<double> raw, List<double> summary, List<double>? tenantNames)
    {
        void Row(string what, IEnumerable<double> values)
        {
            var list = values.ToList();
            Console.WriteLine($"| {user} | {what}, {list.Count} fresh pages | p50 {P(list, 50):N0}, p95 {P(list, 95):N0}, max {list.Max():N0} ms |");
        }

        Row("**first audit row visible** (in-page `performance.now()`)", render.Select(t => t.FirstRowMs));
        Row("same, seen by an in-page watcher from the document's start (no Playwright poll latency)", render.Select(t => t.ObservedFirstRowMs));
        Row("same, client Stopwatch around navigate + wait", render.Select(t => t.StopwatchMs));
        Row("first byte of the prerendered HTML (`responseStart`)", render.Select(t => t.ResponseStartMs));
        Row("last byte of the HTML (`responseEnd`)", render.Select(t => t.ResponseEndMs));
        Row("`DOMContentLoaded` end", render.Select(t => t.DomContentLoadedMs));
        Row("first contentful paint", render.Select(t => t.FirstPaintMs));
        Row("24-hour summary's figures shown (loaded once the page is interactive)", render.Select(t => t.SummaryMs));
        void Raw(string what, List<double> list) => Report.Raw(user, what, list);
        Raw("AuditService first page direct (`limit=50`, 7 days, bearer token)", raw);
        Raw("AuditService 24-hour stats direct (the summary's request)", summary);
        if (tenantNames is not null)
        {
            Raw("Api `GET /api/tenants` (the page's tenant names)", tenantNames);
        }
    }

    public static void Raw(string user, string what, List<double> list) =>
        Console.WriteLine($"| {user} | {what}, {list.Count} req. | p50 {P(list, 50):N1}, p95 {P(list, 95):N1}, max {list.Max():N1} ms |");

    private static double P(List<double> values, int percentile)
    {
        var sorted = values.Order().ToList();
        return sorted[Math.Clamp((int)Math.Ceiling(percentile / 100.0 * sorted.Count) - 1, 0, sorted.Count - 1)];
    }
}
