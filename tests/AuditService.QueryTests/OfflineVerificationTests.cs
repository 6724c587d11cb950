using AuditService.Chain;
using AuditService.Data;
using AuditService.Integrity;

namespace AuditService.QueryTests;

/// <summary>
/// docs/security.md's offline check, done as written: from an NDJSON export and the exported checkpoints alone,
/// recompute the chain and hold it to the checkpoints.
/// </summary>
public sealed class OfflineVerificationTests(ReadSideFixture app) : IClassFixture<ReadSideFixture>
{
    [Fact]
    public async Task AnExportRecomputesToTheSignedCheckpointsWithoutTheDatabase()
    {
        var tenant = Guid.CreateVersion7();
        await app.WriteAsync([.. Enumerable.Range(0, 5).Select(i => ReadSideFixture.Event(tenant, $"actor-{i}"))]);
        await app.Services.GetRequiredService<CheckpointStore>().CheckpointAsync(Ct);
        using var client = app.WithKey(ReadSideFixture.ReadKey);
        var checkpoints = await client.GetFromJsonAsync<List<Checkpoint>>($"/api/v1/integrity/checkpoints?tenant={tenant}", Ct);
        var export = await client.GetStringAsync($"/api/v1/audit-events/export?format=ndjson&tenant={tenant}", Ct);

        var hashes = Recompute(export);

        var checkpoint = Assert.Single(checkpoints!);
        Assert.Equal(5, checkpoint.Seq);
        Assert.Equal(checkpoint.Hash, Convert.ToHexStringLower(hashes[checkpoint.Seq]));
        Assert.True(checkpoint.IsValid(new Signer(Microsoft.Extensions.Options.Options.Create(new IntegrityOptions { SigningKey = ReadSideFixture.SigningKey }))));
    }

    /// <summary>SHA-256 of each event's canonical array, in sequence order, from the genesis hash (docs/security.md).</summary>
    private static Dictionary<long, byte[]> Recompute(string ndjson)
    {
        var events = ndjson.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonDocument.Parse(l).RootElement).OrderBy(e => e.GetProperty("seq").GetInt64());
        var hashes = new Dictionary<long, byte[]>();
        var previous = EventHasher.GenesisHash;
        foreach (var e in events)
        {
            string? S(JsonElement parent, string name) => parent.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;
            string? J(string name) => e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.Object ? CanonicalJson.Write(v) : null;
            JsonElement O(string name) => e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.Object ? v : default;
            var actor = O("actor");
            var resource = O("resource");
            var error = O("error");
            var seq = e.GetProperty("seq").GetInt64();
            var stored = new AuditEvent(e.GetProperty("id").GetGuid(), e.GetProperty("tenantId").GetGuid(), e.GetProperty("occurredAt").GetDateTimeOffset(),
                S(actor, "type")!, S(actor, "id")!, S(actor, "name"), S(actor, "email"), S(e, "action")!, S(e, "category")!, S(e, "severity")!,
                resource.ValueKind == JsonValueKind.Object ? S(resource, "type") : null, resource.ValueKind == JsonValueKind.Object ? S(resource, "id") : null,
                resource.ValueKind == JsonValueKind.Object ? S(resource, "name") : null, S(e, "description"), J("before"), J("after"), J("metadata"),
                error.ValueKind == JsonValueKind.Object ? S(error, "message") : null, error.ValueKind == JsonValueKind.Object ? S(error, "stack") : null,
                S(e, "ipAddress") is { } ip ? IPAddress.Parse(ip) : null, S(e, "userAgent"), S(e, "traceId"), S(e, "spanId"), S(e, "sourceService"));
            previous = hashes[seq] = EventHasher.Hash(stored, stored.TenantId, seq, e.GetProperty("recordedAt").GetDateTimeOffset(), previous);
        }

        return hashes;
    }
}
