namespace AuditService.Integrity;

/// <summary>A tenant's chain head at one moment, signed; export these and keep them outside the database.</summary>
public sealed record Checkpoint(Guid TenantId, long Seq, string Hash, DateTimeOffset SignedAt, string Signature)
{
    public static object[] SignedParts(Guid tenant, long seq, byte[] hash, DateTimeOffset signedAt) =>
        ["checkpoint-v1", tenant, seq, hash, signedAt];

    public bool IsValid(Signer signer) =>
        TryHex(Hash, out var hash) && TryHex(Signature, out var signature) && signer.Verify(signature, SignedParts(TenantId, Seq, hash, SignedAt));

    public byte[] HashBytes => Convert.FromHexString(Hash);

    /// <summary>What a checkpoint sent back for verification must hold (one that was exported, not a fragment).</summary>
    public static void Validate(Checkpoint? checkpoint, Guid tenant, string path, IDictionary<string, string[]> errors)
    {
        if (checkpoint is null)
        {
            errors[path] = ["must be a checkpoint object."];
            return;
        }

        if (checkpoint.TenantId != tenant)
        {
            errors[$"{path}.tenantId"] = [$"must be {tenant}, the tenant being verified."];
        }

        if (checkpoint.Seq < 1)
        {
            errors[$"{path}.seq"] = ["must be a sequence number (1 or more)."];
        }

        foreach (var (field, value) in new[] { ("hash", checkpoint.Hash), ("signature", checkpoint.Signature) })
        {
            if (value is not { Length: 64 } || !TryHex(value, out _))
            {
                errors[$"{path}.{field}"] = ["is required: 64 hex characters, as exported."];
            }
        }
    }

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
