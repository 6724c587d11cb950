using AppHost.Secrets;

namespace AppHost.Seeding;

/// <summary>A user the Api creates on first start, with a password generated once (a secret parameter).</summary>
public sealed record SeededUser(string Email, string DisplayName, string Role, string? Tenant, string[] SupportTenants,
    ParameterResource Password) : IResourceAnnotation;

public sealed record SeededTenant(string Slug, string Name, string Plan) : IResourceAnnotation;

public static class SeedExtensions
{
    /// <summary>A tenant the Api creates on first start when absent.</summary>
    public static IResourceBuilder<ProjectResource> WithSeededTenant(this IResourceBuilder<ProjectResource> api, string slug, string name, string plan)
    {
        var index = api.Resource.Annotations.OfType<SeededTenant>().Count();
        api.Resource.Annotations.Add(new SeededTenant(slug, name, plan));
        return api.WithEnvironment($"Seed__Tenants__{index}__Slug", slug)
            .WithEnvironment($"Seed__Tenants__{index}__Name", name)
            .WithEnvironment($"Seed__Tenants__{index}__Plan", plan);
    }

    /// <summary>A user the Api creates on first start; a support user is assigned to <paramref name="supportTenants"/>.</summary>
    public static IResourceBuilder<ProjectResource> WithSeededUser(this IResourceBuilder<ProjectResource> api, string email, string displayName,
        string role, string? tenant = null, params string[] supportTenants)
    {
        var index = api.Resource.Annotations.OfType<SeededUser>().Count();
        var password = api.ApplicationBuilder.AddSecret(PasswordParameterName(email));
        api.Resource.Annotations.Add(new SeededUser(email, displayName, role, tenant, supportTenants, password.Resource));
        api.WithEnvironment($"Seed__Users__{index}__Email", email)
            .WithEnvironment($"Seed__Users__{index}__Password", password)
            .WithEnvironment($"Seed__Users__{index}__DisplayName", displayName)
            .WithEnvironment($"Seed__Users__{index}__Role", role);
        if (tenant is not null)
        {
            api.WithEnvironment($"Seed__Users__{index}__Tenant", tenant);
        }

        for (var i = 0; i < supportTenants.Length; i++)
        {
            api.WithEnvironment($"Seed__Users__{index}__SupportTenants__{i}", supportTenants[i]);
        }

        return api;
    }

    /// <summary>The secret parameter holding a seeded user's password: user-admin-acme-local for admin@acme.local.</summary>
    public static string PasswordParameterName(string email) => "user-" + email.Replace('@', '-').Replace('.', '-');
}
