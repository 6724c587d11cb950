using System.Net;

namespace Dashboard.Clients;

/// <summary>
/// Sends a typed client's requests as the signed-in user: their access token (renewed by <see cref="CurrentSession"/>
/// when it is about to expire) as a bearer token, attached here on the server. The one place that does this.
/// </summary>
public sealed class AuthorizedSendHandler(CurrentSession session) : DelegatingHandler
{
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var current = await session.GetAsync(cancellationToken) ?? throw new ApiException(HttpStatusCode.Unauthorized, "You are signed out.");
        request.Headers.Authorization = new("Bearer", current.AccessToken);
        return await base.SendAsync(request, cancellationToken);
    }
}
