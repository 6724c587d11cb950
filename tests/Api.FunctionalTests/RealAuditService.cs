extern alias auditservice;

using Audit.Contracts;
using Testing;

namespace Api.FunctionalTests;

/// <summary>The real AuditService, in memory over its own PostgreSQL database, receiving the Api's audit events.</summary>
public sealed class RealAuditService(TestDatabase database)
    : InMemoryAuditService<auditservice::Program>(new AuditServiceHost(database, SeededKey.Writer(WriteKey), SeededKey.Reader(ReadKey)))
{
    public static readonly string WriteKey = ApiKeyFormat.New();
    public static readonly string ReadKey = ApiKeyFormat.New();
}
