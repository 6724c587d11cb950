extern alias auditservice;

using Testing;

namespace Api.FunctionalTests;

/// <summary>The real AuditService, in memory over its own PostgreSQL database, receiving the Api's audit events.</summary>
public sealed class RealAuditService(TestDatabase database)
    : InMemoryAuditService<auditservice::Program>(new AuditServiceHost(database, SeededKey.Writer(WriteKey), SeededKey.Reader(ReadKey)))
{
    public const string WriteKey = "audk_0123456789ab_api-write-key-for-api-tests-000000000000";
    public const string ReadKey = "audk_abcdef012345_api-read-key-for-api-tests-0000000000000";
}
