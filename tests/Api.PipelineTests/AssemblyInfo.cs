[assembly: AssemblyFixture(typeof(Api.PipelineTests.PipelineAuditService))]
