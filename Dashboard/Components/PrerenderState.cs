using System.Text.Json;

namespace Dashboard.Components;

/// <summary>
/// What a page carries from its prerender into its interactive circuit (<c>[PersistentState]</c>), so it does not
/// load its data twice. The state is written into the HTML and comes back in the circuit's first SignalR message,
/// base64-encoded twice on the way (~1.8 times its JSON); the hub's message limit (32 KB by default) is raised to
/// fit, and a state bigger than <see cref="MaxJsonBytes"/> is not carried: the circuit loads it again instead.
/// </summary>
public static class PrerenderState
{
    public const int MaxJsonBytes = 64 * 1024;

    /// <summary>Every page's state at its largest, twice over: a message beyond it closes the circuit.</summary>
    public const long HubMessageLimit = 256 * 1024;

    public static T? IfSmall<T>(T value) where T : class =>
        JsonSerializer.SerializeToUtf8Bytes(value, JsonSerializerOptions.Web).Length <= MaxJsonBytes ? value : null;
}
