using System.Runtime.InteropServices;

namespace AppHost.Postgres;

/// <summary>POSIX signals .NET does not send by itself (Process.Kill only sends SIGKILL).</summary>
public static partial class Signals
{
    private const int SigInt = 2;

    public static void Interrupt(int pid) => _ = Kill(pid, SigInt);

    [LibraryImport("libc", EntryPoint = "kill")]
    private static partial int Kill(int pid, int signal);
}
