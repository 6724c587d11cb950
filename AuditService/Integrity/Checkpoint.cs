namespace AuditService.Integrity;

/// <summary>A tenant's chain head at one moment, signed; export these and keep them outside the database.</summary>
public sealed record Checkpoint(Guid TenantId, long Seq, string Hash, DateTimeOffset SignedAt, string Signature)
{
    public static object[] SignedParts(Guid tenant, long seq, byte[] hash, DateTimeOffset signedAt) =>
        ["checkpoint-v1", tenant, seq, hash, signedAt];

    public bool IsValid(Signer signer) =>
        TryHex(Hash, out var hash) && TryHex(Signature, out var signature) && signer.Verify(signature, SignedParts(TenantId, Seq, hash, SignedAt));

    public byte[] HashBytes => Convert.FromHexString(Hash);

    private static bool TryHex(string text, out byte[] bytes)
    {
        try
        {
            bytes = Convert.FromHexString(text);
            return true;
        }
        catch (FormatException)
        {
            bytes = [];
            return false;
        }
    }
}
