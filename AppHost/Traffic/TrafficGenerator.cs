using System.Net.Http.Headers;
using System.Net.Http.Json;
using Api.Contracts;

namespace AppHost.Traffic;

/// <summary>
/// One round every interval: each tenant user creates an activity now and then and decides what waits for
/// approval (mostly approve, sometimes reject); tenant admins retry dead letters. The users of
/// <paramref name="manualTenant"/> only keep a few activities waiting, for a person to approve by hand. With no
/// tenant users seeded, the super admin creates activities for every tenant instead (there is nobody to approve them).
/// </summary>
public sealed class TrafficGenerator(Uri api, IReadOnlyList<TrafficUser> users, string? manualTenant, TimeSpan interval, Action<string> log)
{
    private const int WaitingForAPerson = 3;

    private static readonly string[] Kinds = ["research_topics", "draft_article"];

    private static readonly string[] Topics =
    [
        "Pricing pages that convert", "Onboarding emails for a developer tool", "Why observability pays for itself",
        "A launch post for our audit log", "Cutting cloud spend without slowing teams", "Writing release notes people read",
        "Case study: moving a monolith to services", "How we handle customer data requests",
    ];

    private readonly HttpClient _http = new() { BaseAddress = api, Timeout = TimeSpan.FromSeconds(30) };
    private readonly Dictionary<string, (string Token, DateTimeOffset Expires)> _tokens = [];
    private readonly Random _random = new(42);

    /// <summary>Paused from the Aspire dashboard: rounds are skipped until resumed.</summary>
    public bool Paused { get; set; }

    public async Task RunAsync(CancellationToken ct)
    {
        var tenantUsers = users.Where(u => u.Tenant is not null && u.Role is Roles.TenantAdmin or Roles.Member).ToList();
        var admin = users.FirstOrDefault(u => u.Role == Roles.SuperAdmin);
        log(tenantUsers.Count > 0
            ? $"exercising the Api as {string.Join(", ", tenantUsers.Select(u => u.Email))}"
            : $"no tenant users seeded; creating activities as {admin?.Email ?? "nobody"}");
        using var timer = new PeriodicTimer(interval);
        var failures = 0;
        while (await TickAsync(timer, ct))
        {
            if (Paused)
            {
                continue;
            }

            try
            {
                if (tenantUsers.Count > 0)
                {
                    foreach (var user in tenantUsers)
                    {
                        await RoundAsync(user, ct);
                    }
                }
                else if (admin is not null)
                {
                    await AdminRoundAsync(admin, ct);
                }

                failures = 0;
            }
            catch (Exception ex) when (!ct.IsCancellationRequested)
            {
                // Say it once, not every round, while the Api is down or restarting.
                if (failures++ == 0)
                {
                    log($"round failed: {ex.Message}");
                }
            }
        }
    }

    private static async Task<bool> TickAsync(PeriodicTimer timer, CancellationToken ct)
    {
        try
        {
            return await timer.WaitForNextTickAsync(ct);
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    private async Task RoundAsync(TrafficUser user, CancellationToken ct)
    {
        var auth = await AuthAsync(user, ct);
        if (user.Tenant == manualTenant)
        {
            // Its admin sees all of its activities, so the count below is the tenant's own.
            if (user.Role != Roles.TenantAdmin)
            {
                return;
            }

            // Queued and running ones will wait too: count every activity not decided yet.
            var undecided = (await ListAsync<PipelineActivity>("/api/activities?limit=50", auth, ct))
                .Count(a => a.Status is ActivityStatus.Queued or ActivityStatus.Running or ActivityStatus.AwaitingApproval);
            if (undecided < WaitingForAPerson && _random.NextDouble() < 0.2)
            {
                await SendAsync(HttpMethod.Post, "/api/activities", auth, new CreateActivityRequest(Pick(Kinds), Pick(Topics), null), ct);
            }

            return;
        }

        if (_random.NextDouble() < 0.5)
        {
            await SendAsync(HttpMethod.Post, "/api/activities", auth, new CreateActivityRequest(Pick(Kinds), Pick(Topics), null), ct);
        }

        foreach (var waiting in await ListAsync<PipelineActivity>($"/api/activities?status={ActivityStatus.AwaitingApproval}&limit=20", auth, ct))
        {
            var decision = _random.NextDouble() < 0.8 ? "approve" : "reject";
            await SendAsync(HttpMethod.Post, $"/api/activities/{waiting.Id}/{decision}", auth,
                new DecisionRequest(decision == "approve" ? "Looks good" : "Needs a different angle"), ct);
        }

        if (user.Role == Roles.TenantAdmin)
        {
            foreach (var dead in await ListAsync<PipelineActivity>($"/api/activities?status={ActivityStatus.DeadLetter}&limit=5", auth, ct))
            {
                await SendAsync(HttpMethod.Post, $"/api/activities/{dead.Id}/retry", auth, null, ct);
            }
        }
    }

    private async Task AdminRoundAsync(TrafficUser admin, CancellationToken ct)
    {
        var auth = await AuthAsync(admin, ct);
        var tenants = await ListAsync<TenantSummary>("/api/tenants", auth, ct);
        if (tenants.Count == 0)
        {
            await SendAsync(HttpMethod.Post, "/api/tenants", auth, new CreateTenantRequest("Traffic Demo", "traffic-demo", "pro"), ct);
            tenants = await ListAsync<TenantSummary>("/api/tenants", auth, ct);
        }

        foreach (var tenant in tenants)
        {
            if (_random.NextDouble() < 0.5)
            {
                await SendAsync(HttpMethod.Post, "/api/activities", auth,
                    new CreateActivityRequest(Pick(Kinds), Pick(Topics), tenant.Id), ct);
            }
        }
    }

    private async Task<AuthenticationHeaderValue> AuthAsync(TrafficUser user, CancellationToken ct)
    {
        if (!_tokens.TryGetValue(user.Email, out var cached) || cached.Expires < DateTimeOffset.UtcNow.AddMinutes(1))
        {
            using var response = await _http.PostAsJsonAsync("/api/auth/sign-in", new SignInRequest(user.Email, user.Password), ct);
            response.EnsureSuccessStatusCode();
            var body = (await response.Content.ReadFromJsonAsync<TokenResponse>(ct))!;
            cached = (body.AccessToken, DateTimeOffset.UtcNow.AddSeconds(body.ExpiresIn));
            _tokens[user.Email] = cached;
        }

        return new AuthenticationHeaderValue("Bearer", cached.Token);
    }

    private async Task<List<T>> ListAsync<T>(string path, AuthenticationHeaderValue auth, CancellationToken ct)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path) { Headers = { Authorization = auth } };
        using var response = await _http.SendAsync(request, ct);
        response.EnsureSuccessStatusCode();
        return await response.Content.ReadFromJsonAsync<List<T>>(ct) ?? [];
    }

    private async Task SendAsync(HttpMethod method, string path, AuthenticationHeaderValue auth, object? body, CancellationToken ct)
    {
        using var request = new HttpRequestMessage(method, path) { Headers = { Authorization = auth } };
        if (body is not null)
        {
            request.Content = JsonContent.Create(body);
        }

        using var response = await _http.SendAsync(request, ct);
        // 409: someone else decided first; 402: the tenant's monthly LLM budget is spent. Both are answers, not faults.
        if (!response.IsSuccessStatusCode && (int)response.StatusCode is not (409 or 402))
        {
            log($"{method} {path} answered {(int)response.StatusCode}");
        }
    }

    private T Pick<T>(T[] items) => items[_random.Next(items.Length)];
}

public sealed record TrafficUser(string Email, string Password, string Role, string? Tenant);
