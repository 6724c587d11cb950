namespace Api.Tenants;

public static class TenantsExtensions
{
    public static void AddTenantPlans(this IHostApplicationBuilder builder) =>
        builder.Services.AddOptions<PlansOptions>().BindConfiguration(PlansOptions.SectionName)
            .Validate(p => p.IsValid(), "Plans:free, Plans:pro and Plans:team each need a MonthlyBudgetUsd above 0.")
            .ValidateOnStart();
}
