using System.Globalization;
using System.Security.Cryptography;
using AuditService.Chain;
using AuditService.Data;
using AuditService.Integrity;

namespace AuditService.QueryTests;

/// <summary>
/// An export carries everything the entry's detail shows and is checked from the file alone: each row against its hash,
/// following docs/audit-export.md step by step (that recipe is the document's, not AuditService's hasher), and the whole
/// chain against the exported signed checkpoints, as docs/security.md's offline check says.
/// </summary>
public sealed class ExportVerificationTests(ReadSideFixture app) : IClassFixture<ReadSideFixture>
{
    [Fact]
    public async Task ExportedRowsCarryTheErrorStackAndRecomputeToTheirChainHashes()
    {
        var tenant = Guid.CreateVersion7();
        var failed = ReadSideFixture.Event(tenant, "ada", "lead.sync_failed", severity: "error");
        failed.Error = new ErrorDto { Message = "Upstream said <no> & \"never\"", Stack = "at Sync.Run()\n  at Worker.Loop()" };
        failed.Metadata = JsonDocument.Parse("""{"z": 1.50, "a": [1e2, "Café"], "m": {"k": null}}""").RootElement;
        failed.IpAddress = "2001:db8::7";
        failed.UserAgent = "Mozilla/5.0 (X11) + 'quoted'";
        failed.Description = "Sync of \u00e9l\u00e8ve failed";
        var plain = ReadSideFixture.Event(tenant, "bob", traceId: null);
        (plain.Resource, plain.Before, plain.After) = (null, null, null);
        await app.WriteAsync(ReadSideFixture.Event(tenant, "ada"), failed, plain);
        using var client = app.AsTenantAdmin(tenant);

        var lines = (await client.GetStringAsync("/api/v1/audit-events/export?format=ndjson", Ct)).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        var rows = lines.Select(l => JsonDocument.Parse(l).RootElement).OrderBy(r => r.GetProperty("seq").GetInt64()).ToList();
        Assert.Equal(3, rows.Count);

        // Everything the detail shows: the error with its stack, and the chain hashes the detail answers too.
        var detail = await client.GetFromJsonAsync<AuditEntryDetail>($"/api/v1/audit-events/{failed.Id}", Ct);
        var exported = rows.Single(r => r.GetProperty("id").GetGuid() == failed.Id);
        Assert.Equal("at Sync.Run()\n  at Worker.Loop()", exported.GetProperty("error").GetProperty("stack").GetString());
        Assert.Equal(detail!.Entry.Hash, exported.GetProperty("hash").GetString());
        Assert.Equal(detail.Entry.PrevHash, exported.GetProperty("prevHash").GetString());

        // Each row recomputes to its hash, and links to the row before it; the first to the chain's genesis.
        var previous = new string('0', 64);
        foreach (var row in rows)
        {
            Assert.Equal(previous, row.GetProperty("prevHash").GetString());
            Assert.Equal(row.GetProperty("hash").GetString(), Recompute(row));
            previous = row.GetProperty("hash").GetString()!;
        }

        // The stored chain those rows came from is intact, up to the exported head.
        var verdict = await client.GetFromJsonAsync<JsonElement>($"/api/v1/integrity/verify?tenant={tenant}", Ct);
        Assert.True(verdict.GetProperty("intact").GetBoolean(), verdict.ToString());

        // A row edited after the export no longer recomputes to its hash.
        var edited = JsonDocument.Parse(lines[0].Replace("\"severity\":\"info\"", "\"severity\":\"warning\"", StringComparison.Ordinal)).RootElement;
        Assert.NotEqual(edited.GetProperty("hash").GetString(), Recompute(edited));

        // The CSV carries the stack and the hashes as columns of their own.
        var csv = await client.GetStringAsync("/api/v1/audit-events/export?format=csv", Ct);
        var header = csv[..csv.IndexOf('\r', StringComparison.Ordinal)].Split(',');
        Assert.Contains("error_stack", header);
        Assert.Equal(["hash", "prev_hash"], header[^2..]);
        Assert.Contains("\"at Sync.Run()\n  at Worker.Loop()\"", csv);
        Assert.Contains(detail.Entry.Hash!, csv);
    }

    /// <summary>docs/audit-export.md, "Checking a row": SHA-256 of the canonical array, as lower-case hex.</summary>
    private static string Recompute(JsonElement row)
    {
        string? S(JsonElement e, string name) => e.ValueKind == JsonValueKind.Object && e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;
        string? State(string name) => row.GetProperty(name) is { ValueKind: not JsonValueKind.Null } v ? CanonicalJson.Write(v) : null;
        string Time(string name) => row.GetProperty(name).GetDateTimeOffset().UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'", CultureInfo.InvariantCulture);
        var actor = row.GetProperty("actor");
        var resource = row.GetProperty("resource");
        var error = row.GetProperty("error");

        using var buffer = new MemoryStream();
        using (var w = new Utf8JsonWriter(buffer))
        {
            w.WriteStartArray();
            w.WriteStringValue("audit-v1");
            w.WriteStringValue(row.GetProperty("tenantId").GetGuid());
            w.WriteNumberValue(row.GetProperty("seq").GetInt64());
            w.WriteStringValue(row.GetProperty("id").GetGuid());
            foreach (var value in new[]
            {
                Time("occurredAt"), Time("recordedAt"), S(actor, "type"), S(actor, "id"), S(actor, "name"), S(actor, "email"),
                S(row, "action"), S(row, "category"), S(row, "severity"), S(resource, "type"), S(resource, "id"), S(resource, "name"),
                S(row, "description"), State("before"), State("after"), State("metadata"), S(error, "message"), S(error, "stack"),
                S(row, "ipAddress"), S(row, "userAgent"), S(row, "traceId"), S(row, "spanId"), S(row, "sourceService"), S(row, "prevHash"),
            })
            {
                if (value is null)
                {
                    w.WriteNullValue();
                }
                else
                {
                    w.WriteStringValue(value);
                }
            }

            w.WriteEndArray();
        }

        return Convert.ToHexStringLower(SHA256.HashData(buffer.ToArray()));
    }

    [Fact]
    public async Task AnExportRecomputesToTheSignedCheckpointsWithoutTheDatabase()
    {
        var tenant = Guid.CreateVersion7();
        await app.WriteAsync([.. Enumerable.Range(0, 5).Select(i => ReadSideFixture.Event(tenant, $"actor-{i}"))]);
        await app.Services.GetRequiredService<CheckpointStore>().CheckpointAsync(Ct);
        using var client = app.WithKey(ReadSideFixture.ReadKey);
        var checkpoints = await client.GetFromJsonAsync<List<Checkpoint>>($"/api/v1/integrity/checkpoints?tenant={tenant}", Ct);
        var export = await client.GetStringAsync($"/api/v1/audit-events/export?format=ndjson&tenant={tenant}", Ct);

        var hashes = RecomputeChain(export);

        var checkpoint = Assert.Single(checkpoints!);
        Assert.Equal(5, checkpoint.Seq);
        Assert.Equal(checkpoint.Hash, Convert.ToHexStringLower(hashes[checkpoint.Seq]));
        Assert.True(checkpoint.IsValid(new Signer(Microsoft.Extensions.Options.Options.Create(new IntegrityOptions { SigningKey = ReadSideFixture.SigningKey }))));
    }

    /// <summary>SHA-256 of each event's canonical array, in sequence order, from the genesis hash (docs/security.md).</summary>
    private static Dictionary<long, byte[]> RecomputeChain(string ndjson)
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
