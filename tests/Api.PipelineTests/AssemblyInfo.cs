[assembly: AssemblyFixture(typeof(Api.PipelineTests.AuditServiceProcess))]
