namespace Audit.Contracts;

/// <summary>
/// The platform's services by the names the AppHost gives them: service discovery resolves these names, and each
/// service's own telemetry and audit entries carry them.
/// </summary>
public static class ServiceNames
{
    public const string Api = "api";
    public const string AuditService = "auditservice";
    public const string Dashboard = "dashboard";
}
