using System.Security.Cryptography;
using System.Text.Json;

namespace AppHost.Hosting;

/// <summary>
/// Secrets the AppHost generates on first run (database passwords, API keys) and reuses afterwards,
/// kept in a file only the current user can read, inside the git-ignored data folder.
/// </summary>
public sealed class SecretStore(string path)
{
    private readonly Lock _gate = new();
    private Dictionary<string, string>? _values;

    public string GetOrCreate(string name, Func<string> generate)
    {
        lock (_gate)
        {
            _values ??= File.Exists(path)
                ? JsonSerializer.Deserialize<Dictionary<string, string>>(File.ReadAllText(path)) ?? []
                : [];
            if (_values.TryGetValue(name, out var value))
            {
                return value;
            }

            value = generate();
            _values[name] = value;
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            File.WriteAllText(path, JsonSerializer.Serialize(_values, new JsonSerializerOptions { WriteIndented = true }));
            if (!OperatingSystem.IsWindows())
            {
                File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
            }

            return value;
        }
    }

    public string Password(string name) => GetOrCreate(name, () => Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(24)));
}
