using Testing;

namespace AuditIngest.Bench;

/// <summary>
/// CPU seconds (user + system, from /proc) spent by the benchmark itself, by AuditService, and by the
/// PostgreSQL cluster (the postmaster and every backend it forked, running or ended), so a run can say where each
/// event's CPU went.
/// </summary>
public sealed class CpuMeter(string postgresDataDirectory, int? servicePid)
{
    public readonly record struct Sample(double Bench, double Service, double Postgres);

    public Sample Read() => new(ProcessCpu.Seconds(Environment.ProcessId), servicePid is { } id ? ProcessCpu.Seconds(id) : 0,
        ProcessCpu.PostgresSeconds(postgresDataDirectory));
}
