using System.Net;
using System.Security.Cryptography;
using System.Text;

namespace Api.Identity;

/// <summary>
/// The Dashboard signs people in from its server and forwards their address. It is trusted only when the request
/// also carries the secret the Dashboard shares with the Api: any other caller, a local process included, is judged by
/// its own address, so per-address limits cannot be dodged by sending a different X-Forwarded-For each time.
/// ASP.NET Core's ForwardedHeaders middleware can only trust by the peer's address, which every local process shares.
/// </summary>
public sealed class ForwardedForOptions
{
    public const string SectionName = "ForwardedFor";

    /// <summary>The secret the Dashboard sends; unset, no forwarded address is ever trusted.</summary>
    [MinLength(32)]
    public string? ProxySecret { get; set; }
}

public static class ForwardedFor
{
    public static IApplicationBuilder UseTrustedForwardedFor(this IApplicationBuilder app) => app.Use((context, next) =>
    {
        var secret = context.RequestServices.GetRequiredService<IOptions<ForwardedForOptions>>().Value.ProxySecret;
        var headers = context.Request.Headers;
        if (secret is not null
            && headers.TryGetValue(ForwardedForHeaders.Secret, out var sent) && sent.Count == 1
            && CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(sent[0] ?? ""), Encoding.UTF8.GetBytes(secret))
            && headers.TryGetValue(ForwardedForHeaders.Address, out var forwarded) && forwarded.Count == 1
            && IPAddress.TryParse(forwarded[0], out var address))
        {
            context.Connection.RemoteIpAddress = address;
        }

        // Nothing after this point reads them: the address to use is the connection's.
        headers.Remove(ForwardedForHeaders.Secret);
        headers.Remove(ForwardedForHeaders.Address);
        return next(context);
    });
}
