using System.Security.Cryptography;
using System.Text;

namespace AppHost.Postgres;

/// <summary>Where the local cluster's files live: the data folder's "postgres" folder, when the server's OS user can reach it.</summary>
public static class ClusterLocation
{
    /// <summary>
    /// <paramref name="dataDirectory"/>/postgres, or, as root in a folder the postgres OS user cannot enter (a clone under
    /// /root or in a mktemp folder), a folder of that user's own, named after the data folder and linked from it.
    /// </summary>
    public static string Resolve(string dataDirectory, PostgresBinaries binaries, Action<string> note)
    {
        Directory.CreateDirectory(dataDirectory);
        var inside = Path.Combine(dataDirectory, "postgres");
        if (Directory.Exists(inside))
        {
            return new DirectoryInfo(inside).ResolveLinkTarget(returnFinalTarget: true)?.FullName ?? inside;
        }

        if (binaries.ServerUserCanEnter(dataDirectory))
        {
            return inside;
        }

        var home = Directory.Exists("/var/lib/postgresql") ? "/var/lib/postgresql" : "/var/tmp";
        var key = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(Path.GetFullPath(dataDirectory))))[..16];
        var outside = Path.Combine(home, "apphost-clusters", key);
        Directory.CreateDirectory(outside);
        Directory.CreateSymbolicLink(inside, outside);
        note($"The postgres OS user cannot enter {dataDirectory}; the cluster lives in {outside} (linked from {inside}).");
        return outside;
    }
}
