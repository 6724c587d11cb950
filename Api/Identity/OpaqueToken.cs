using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;

namespace Api.Identity;

/// <summary>Random bearer secrets (refresh tokens, invitations): given out once, stored only as SHA-256.</summary>
public static class OpaqueToken
{
    public static string New(string prefix) =>
        prefix + Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(32));

    public static byte[] Hash(string token) => SHA256.HashData(Encoding.UTF8.GetBytes(token));
}
