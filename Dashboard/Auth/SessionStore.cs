using System.Collections.Concurrent;
using System.Security.Cryptography;

namespace Dashboard.Auth;

/// <summary>
/// Sessions in this process's memory, keyed by a random id that the auth cookie carries. A restart signs
/// everyone out (the cookie names a session that no longer exists), which is the safe failure.
/// </summary>
public sealed class SessionStore
{
    private readonly ConcurrentDictionary<string, DashboardSession> _sessions = new(StringComparer.Ordinal);

    public static string NewId() => Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));

    public void Save(DashboardSession session) => _sessions[session.Id] = session;

    public DashboardSession? Find(string? id) => id is not null && _sessions.TryGetValue(id, out var s) ? s : null;

    public void Remove(string? id)
    {
        if (id is not null)
        {
            _sessions.TryRemove(id, out _);
        }
    }
}
