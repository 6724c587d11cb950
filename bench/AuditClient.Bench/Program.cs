using BenchmarkDotNet.Running;

BenchmarkSwitcher.FromAssembly(typeof(AuditClient.Bench.RecordBenchmarks).Assembly).Run(args);
