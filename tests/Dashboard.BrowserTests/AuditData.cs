using Audit.Contracts;

namespace Dashboard.BrowserTests;

/// <summary>Arranging audit entries the way a client of the ingest API does, and reading the audit page's rows.</summary>
public static class AuditData
{
    public static async Task<Guid> AcmeAsync(this BrowserSystem system) => await system.TenantIdAsync("admin@acme.local", "acme");

    public static async Task<Guid> TenantIdAsync(this BrowserSystem system, string adminEmail, string slug)
    {
        using var api = await system.ApiClientForAsync(adminEmail);
        var tenants = await api.GetFromJsonAsync<JsonElement>("/api/tenants");
        return tenants.EnumerateArray().Single(t => t.GetProperty("slug").GetString() == slug).GetProperty("id").GetGuid();
    }

    /// <summary>An entry by the test's system actor, ready to adjust before <see cref="WriteAsync"/>.</summary>
    public static AuditEventDto Event(Guid tenant, string action, string severity = "info", int index = 0) => new()
    {
        Id = Guid.CreateVersion7(),
        TenantId = tenant,
        OccurredAt = DateTimeOffset.UtcNow.AddMilliseconds(-index),
        Actor = new ActorDto { Type = "system", Id = "browser-tests", Name = "Browser tests" },
        Action = action,
        Severity = severity,
        Description = $"{action} #{index}",
    };

    /// <summary>An action no other test writes: "test.{name}_" and a random suffix.</summary>
    public static string UniqueAction(string name) => $"test.{name}_{Guid.NewGuid().ToString("N")[..8]}";

    public static Task WriteEventsAsync(this BrowserSystem system, Guid tenant, string action, int count, string severity = "info") =>
        system.WriteAsync([.. Enumerable.Range(0, count).Select(i => Event(tenant, action, severity, i))]);

    /// <summary>Entries of one action, so many of each severity.</summary>
    public static Task WriteEventsAsync(this BrowserSystem system, Guid tenant, string action, params (string Severity, int Count)[] counts) =>
        system.WriteAsync([.. counts.SelectMany(c => Enumerable.Range(0, c.Count).Select(i => Event(tenant, action, c.Severity, i)))]);

    /// <summary>Entries in acme of an action no other test writes (<see cref="UniqueAction"/>), so many of each severity; answers the action.</summary>
    public static async Task<string> WriteAcmeEventsAsync(this BrowserSystem system, string name, params (string Severity, int Count)[] counts)
    {
        var action = UniqueAction(name);
        await system.WriteEventsAsync(await system.AcmeAsync(), action, counts);
        return action;
    }

    /// <summary>One entry each by <paramref name="count"/> people no other test writes as, in the tenant.</summary>
    public static Task WritePeopleAsync(this BrowserSystem system, Guid tenant, string name, int count) =>
        system.WriteAsync([.. Enumerable.Range(0, count).Select(i =>
        {
            var e = Event(tenant, UniqueAction(name), index: i);
            e.Actor = new ActorDto { Type = "human", Id = $"{name}-{Guid.NewGuid():N}", Name = $"{name} {i}" };
            return e;
        })]);

    public static async Task WriteAsync(this BrowserSystem system, params AuditEventDto[] events)
    {
        using var http = new HttpClient();
        http.DefaultRequestHeaders.Add("X-Api-Key", system.Host.Secret("api-audit-key"));
        var response = await http.PostAsJsonAsync(new Uri(system.Host.Url("auditservice"), "/api/v1/events"), events);
        response.EnsureSuccessStatusCode();
    }

    /// <summary>
    /// Waits until the table shows only the filtered action (the unfiltered first page, shown from the prerender,
    /// has been replaced), and answers how many rows it has.
    /// </summary>
    public static async Task<int> FilteredRowsAsync(this SignedInPage session, string action) =>
        await Eventually.Async(async () =>
        {
            var actions = await session.Page.Locator("[data-testid=audit-events] tbody td[data-label=Action]").AllInnerTextsAsync();
            return actions.Count > 0 && actions.All(a => a.Trim() == action) ? (int?)actions.Count : null;
        }, 30) ?? 0;

    /// <summary>
    /// Applies the filters and waits until the rows show what they ask for. A click on Apply that lands while the form
    /// re-renders (a picker's list closing, the summary arriving) can be lost, and a person clicks again: so does this,
    /// every 5 s. A filter the form itself lost still fails here.
    /// </summary>
    public static async Task ApplyFiltersAsync(this SignedInPage session, Func<IReadOnlyList<string>, bool> shown, string column)
    {
        var deadline = DateTime.UtcNow.AddSeconds(45);
        while (true)
        {
            await session.Page.ClickAsync("[data-testid=apply-filters]");
            for (var poll = 0; poll < 20; poll++)
            {
                if (shown(await session.ColumnAsync(column)))
                {
                    return;
                }

                await Task.Delay(250);
            }

            if (DateTime.UtcNow > deadline)
            {
                // What the page showed, for whoever reads the failed run (the screenshot is in the test artifacts).
                await session.ScreenshotAsync($"apply-filters-timeout-{column}");
                throw new TimeoutException($"At {session.Page.Url} the rows' {column} column shows " +
                    $"[{string.Join(", ", await session.ColumnAsync(column))}], not what the filters ask for.");
            }
        }
    }

    /// <summary>The text of one column of the audit page's rows.</summary>
    public static async Task<List<string>> ColumnAsync(this SignedInPage session, string label) =>
        [.. (await session.Page.Locator($"[data-testid=audit-events] tbody td[data-label={label}]").AllInnerTextsAsync()).Select(t => t.Trim())];

    /// <summary>
    /// Clears the filters and waits until the cleared form has reached the browser (the Action field empties): text typed
    /// before then is overwritten by that render, as it would be for a person typing within the round trip.
    /// </summary>
    public static async Task ClearFiltersAsync(this SignedInPage session)
    {
        await session.Page.ClickAsync("[data-testid=clear-filters]");
        await Eventually.Async(async () => await session.Page.GetByLabel("Action").InputValueAsync() == "" ? (bool?)true : null, 30);
    }

    /// <summary>
    /// Picks an option of a MudSelect by its label: opens its list, clicks the option's text, and checks the select shows
    /// it (a click that lands while the page re-renders, e.g. as its summary arrives, is tried again).
    /// </summary>
    public static async Task ChooseAsync(this SignedInPage session, string label, string option)
    {
        var select = session.Page.GetByLabel(label, new() { Exact = true });
        await Eventually.Async(async () =>
        {
            await select.ClickAsync();
            await session.Page.Locator(".mud-popover-open .mud-list-item", new() { HasText = option }).First.ClickAsync();
            await session.Page.Locator(".mud-popover-open .mud-list-item").First.WaitForAsync(new() { State = Microsoft.Playwright.WaitForSelectorState.Detached });
            return (await select.InnerTextAsync()).Contains(option, StringComparison.Ordinal) ? (bool?)true : null;
        }, 30);
    }

    /// <summary>Types into a MudAutocomplete found by its label and picks the suggestion holding <paramref name="option"/>, until it holds.</summary>
    public static async Task PickAsync(this SignedInPage session, string label, string text, string option)
    {
        var input = session.Page.GetByLabel(label, new() { Exact = true });
        await Eventually.Async(async () =>
        {
            await input.ClearAsync(); // so that typing the same text again searches again
            await input.FillAsync(text);
            try
            {
                // A list that closed or re-rendered under the click is typed into again, not waited on to the end.
                await session.Page.Locator(".mud-popover-open .mud-list-item", new() { HasText = option }).First.ClickAsync(new() { Timeout = 5_000 });
            }
            catch (TimeoutException) // what Playwright throws when the click did not happen in time
            {
                return null;
            }

            return (await input.InputValueAsync()).Contains(option, StringComparison.Ordinal) ? (bool?)true : null;
        }, 30);
    }
}
