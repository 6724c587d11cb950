// Every test class shares one Api (and the AuditService and PostgreSQL behind it); its tests change shared state
// (seeded users, rate limits, captured telemetry), so the classes run one at a time.
[assembly: AssemblyFixture(typeof(Api.FunctionalTests.ApiFixture))]
[assembly: CollectionBehavior(DisableTestParallelization = true)]
