namespace AuditService.ApiKeys;

public static class ApiKeysApi
{
    public sealed record CreateApiKeyRequest(string? Name, string? Scope, Guid? TenantId, string[]? Permissions);

    /// <summary>The only time the secret is ever shown.</summary>
    public sealed record CreatedApiKey(ApiKey Key, string Secret);

    [EndpointName("CreateApiKey"), EndpointSummary("Creates a key and shows its secret once.")]
    public static async Task<Results<Created<CreatedApiKey>, ValidationProblem>> CreateAsync(CreateApiKeyRequest request, ApiKeyStore store, CancellationToken ct)
    {
        var errors = new Dictionary<string, string[]>();
        if (string.IsNullOrWhiteSpace(request.Name) || request.Name.Length > 100)
        {
            errors["name"] = ["is required, at most 100 characters."];
        }

        if (request.Scope is not (ApiKeyScopes.Tenant or ApiKeyScopes.Platform))
        {
            errors["scope"] = ["must be 'tenant' or 'platform'."];
        }
        else if ((request.Scope == ApiKeyScopes.Tenant) != (request.TenantId is not null && request.TenantId != Guid.Empty))
        {
            errors["tenantId"] = [request.Scope == ApiKeyScopes.Tenant ? "is required for a tenant key." : "must be empty for a platform key."];
        }

        var permissions = request.Permissions is { Length: > 0 } p ? p.Distinct().ToArray() : [ApiKeyPermissions.Write];
        if (permissions.Except(ApiKeyPermissions.All).Any())
        {
            errors["permissions"] = [$"may hold only {string.Join(", ", ApiKeyPermissions.All)}."];
        }

        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors);
        }

        var (key, secret) = await store.CreateAsync(request.Name!, request.Scope!, request.TenantId, permissions, ct);
        return TypedResults.Created($"/api/v1/admin/api-keys/{key.Id}", new CreatedApiKey(key, secret));
    }

    [EndpointName("ListApiKeys"), EndpointSummary("Lists keys, without secrets.")]
    public static async Task<Ok<IReadOnlyList<ApiKey>>> ListAsync(ApiKeyStore store, CancellationToken ct) =>
        TypedResults.Ok(await store.ListAsync(ct));

    [EndpointName("RevokeApiKey"), EndpointSummary("Revokes a key; it stops working at once.")]
    public static async Task<Results<Ok<ApiKey>, NotFound>> RevokeAsync(Guid id, ApiKeyStore store, CancellationToken ct) =>
        await store.RevokeAsync(id, ct) is { } key ? TypedResults.Ok(key) : TypedResults.NotFound();
}
