using System.Net;

namespace AuditService.Integrity;

/// <summary>
/// Walks one tenant's chain in sequence order, recomputing every hash from the stored fields, and stops
/// at the first event that is missing, duplicated, out of order, edited, backdated or not linked to the
/// one before. A gap is expiry only where a correctly signed retention record covers it. Signed
/// checkpoints (stored, and any exported ones passed in) pin the chain's past heads, so a tail rewritten
/// with freshly computed hashes is caught too; the chain head must agree with the last event.
/// </summary>
public sealed class ChainVerifier(AuditDb db, Signer signer)
{
    /// <summary>One tenant's chain as the walk reads it (also the raw read beside the walk in bench/AuditQueryBench).</summary>
    public const string Select =
        """
        SELECT tenant_id, seq, event_id, occurred_at, recorded_at, actor_type, actor_id, actor_name, actor_email, action,
               category, severity, resource_type, resource_id, resource_name, description,
               before_state::text, after_state::text, metadata::text, error_message, error_stack, ip_address,
               user_agent, trace_id, span_id, source_service, prev_hash, hash
        FROM audit_events WHERE tenant_id = @tenant ORDER BY seq, recorded_at
        """;

    public Task<ChainVerdict> VerifyAsync(Guid tenantId, CancellationToken ct) => VerifyAsync(tenantId, [], ct);

    /// <summary>
    /// Every tenant with any trace of a chain, for the walk of every chain: not only the chain heads, since a tenant whose
    /// head row was deleted or rewound would then never be walked; its events, checkpoints and retention records name it too.
    /// </summary>
    public async Task<List<Guid>> ChainedTenantsAsync(CancellationToken ct)
    {
        // The platform scope: a job that walks every tenant's chain.
        await using var unit = await db.OpenAsync(TenantScope.Platform, ct);
        await using var select = unit.Command(
            """
            SELECT tenant_id FROM tenant_chains UNION SELECT tenant_id FROM audit_events
            UNION SELECT tenant_id FROM chain_checkpoints UNION SELECT tenant_id FROM retention_records
            ORDER BY 1
            """);
        return await select.ReadListAsync(r => r.GetGuid(0), ct);
    }

    public async Task<ChainVerdict> VerifyAsync(Guid tenantId, IReadOnlyCollection<Checkpoint> exported, CancellationToken ct)
    {
        // One snapshot for the records, the checkpoints, the events and the head, under the tenant's own scope.
        await using var unit = await db.OpenAsync(TenantScope.Of(tenantId), ct);
        await unit.BeginTransactionAsync(System.Data.IsolationLevel.RepeatableRead, ct);

        var walk = new Walk(tenantId);
        var records = await RetentionRecord.ListAsync(unit, tenantId, ct);
        if (records.FirstOrDefault(r => !signer.Verify(r.Signature, r.SignedParts())) is { } forged)
        {
            return walk.Bad(forged.FirstSeq, ChainProblems.ForgedRecord,
                $"the retention record for events {forged.FirstSeq}-{forged.LastSeq} has an invalid signature: the gap it claims to explain is not expiry");
        }

        var checkpoints = (await CheckpointStore.ListAsync(unit, ct)).Concat(exported.Where(c => c.TenantId == tenantId)).ToList();
        if (checkpoints.FirstOrDefault(c => !c.IsValid(signer)) is { } badCheckpoint)
        {
            return walk.Bad(badCheckpoint.Seq, ChainProblems.ForgedRecord, $"the checkpoint at event {badCheckpoint.Seq} has an invalid signature");
        }

        var pinned = checkpoints.GroupBy(c => c.Seq).ToDictionary(g => g.Key, g => g.First());
        walk.Records = records;
        await using (var command = unit.Command(Select))
        {
            command.Parameters.AddWithValue("tenant", tenantId);
            await using var r = await command.ExecuteReaderAsync(ct);
            while (await r.ReadAsync(ct))
            {
                var seq = r.GetInt64(1);
                var storedPrev = (byte[])r[26];
                var storedHash = (byte[])r[27];
                var recordedAt = r.GetFieldValue<DateTimeOffset>(4);
                if (walk.Step(seq, storedPrev, recordedAt) is { } stepProblem)
                {
                    return stepProblem;
                }

                if (!EventHasher.Hash(ReadEvent(r), tenantId, seq, recordedAt, storedPrev).AsSpan().SequenceEqual(storedHash))
                {
                    return walk.Bad(seq, ChainProblems.Altered, $"event {seq} was altered (its content no longer matches its hash)");
                }

                if (pinned.TryGetValue(seq, out var checkpoint))
                {
                    walk.CheckpointsChecked++;
                    if (!checkpoint.HashBytes.AsSpan().SequenceEqual(storedHash))
                    {
                        return walk.Bad(seq, ChainProblems.Rewritten,
                            $"event {seq} differs from the checkpoint signed at {checkpoint.SignedAt:O}: the chain was rewritten from here or before");
                    }

                    walk.SignedThrough = seq;
                }

                walk.Accept(seq, storedHash);
            }
        }

        if (walk.Finish() is { } finishProblem)
        {
            return finishProblem;
        }

        foreach (var checkpoint in pinned.Values.Where(c => c.Seq >= walk.Expected))
        {
            if (!walk.Expired(checkpoint.Seq))
            {
                return walk.Bad(walk.Expected, ChainProblems.Truncated,
                    $"the checkpoint signed at {checkpoint.SignedAt:O} vouches for event {checkpoint.Seq}, but the chain ends at {walk.Expected - 1}: the tail was removed");
            }
        }

        return await HeadAsync(unit, walk, ct) ?? walk.Intact();
    }

    private static async Task<ChainVerdict?> HeadAsync(DbScope unit, Walk walk, CancellationToken ct)
    {
        await using var head = unit.Command("SELECT last_seq, last_hash FROM tenant_chains WHERE tenant_id = @tenant");
        head.Parameters.AddWithValue("tenant", walk.Tenant);
        await using var r = await head.ExecuteReaderAsync(ct);
        if (!await r.ReadAsync(ct))
        {
            return walk.Expected > 1 ? walk.Bad(1, ChainProblems.Appended, "events are stored for a tenant that has no chain head") : null;
        }

        var lastSeq = r.GetInt64(0);
        var lastHash = (byte[])r[1];
        var stored = walk.Expected - 1;
        if (lastSeq > stored)
        {
            for (var s = walk.Expected; s <= lastSeq; s++)
            {
                if (!walk.Expired(s))
                {
                    return walk.Bad(s, ChainProblems.Truncated, $"the chain head says {lastSeq} events but the stored chain ends at {stored}: the tail was removed");
                }
            }

            var last = walk.Records.FirstOrDefault(x => x.LastSeq == lastSeq);
            return last is null || last.LastHash.AsSpan().SequenceEqual(lastHash) ? null
                : walk.Bad(lastSeq, ChainProblems.Rewritten, "the chain head's hash differs from the retention record of its last event");
        }

        if (lastSeq < stored)
        {
            return walk.Bad(lastSeq + 1, ChainProblems.Appended,
                $"events {lastSeq + 1}-{stored} were stored behind the writer's back (the chain head ends at {lastSeq})");
        }

        return walk.LastHash.AsSpan().SequenceEqual(lastHash) ? null
            : walk.Bad(stored, ChainProblems.Rewritten, "the chain head's hash differs from the last stored event's");
    }

    private static AuditEvent ReadEvent(NpgsqlDataReader r)
    {
        string? S(int i) => r.IsDBNull(i) ? null : r.GetString(i);
        string? J(int i) => r.IsDBNull(i) ? null : CanonicalJson.Normalize(r.GetString(i));
        return new AuditEvent(r.GetGuid(2), r.GetGuid(0), r.GetFieldValue<DateTimeOffset>(3),
            r.GetString(5), r.GetString(6), S(7), S(8), r.GetString(9), r.GetString(10), r.GetString(11),
            S(12), S(13), S(14), S(15), J(16), J(17), J(18), S(19), S(20),
            r.IsDBNull(21) ? null : r.GetFieldValue<IPAddress>(21), S(22), S(23), S(24), S(25));
    }

    /// <summary>The verifier's position in the chain: the next expected sequence number, the last hash, and gaps explained by retention.</summary>
    private sealed class Walk(Guid tenant)
    {
        private byte[]? _prevHash = EventHasher.GenesisHash;
        private DateTimeOffset _prevRecordedAt = DateTimeOffset.MinValue;
        private readonly Dictionary<Guid, long> _missing = [];

        public Guid Tenant { get; } = tenant;
        public List<RetentionRecord> Records { get; set; } = [];
        public long Expected { get; private set; } = 1;
        public long Checked { get; private set; }
        public long ExpiredCount { get; private set; }
        public int CheckpointsChecked { get; set; }
        public long? SignedThrough { get; set; }
        public byte[] LastHash => _prevHash ?? [];

        public bool Expired(long seq) => Records.Any(r => r.Covers(seq));

        public ChainVerdict? Step(long seq, byte[] storedPrev, DateTimeOffset recordedAt)
        {
            if (seq < Expected)
            {
                return Bad(seq, ChainProblems.Duplicate, $"sequence number {seq} appears twice (a row was inserted or copied into this chain)");
            }

            if (seq > Expected)
            {
                for (var s = Expected; s < seq; s++)
                {
                    var record = Records.FirstOrDefault(r => r.Covers(s));
                    if (record is null)
                    {
                        return Bad(s, ChainProblems.Deleted,
                            $"events {s}-{seq - 1} are missing and no retention record covers them: deleted, not expired");
                    }

                    _missing[record.Id] = _missing.GetValueOrDefault(record.Id) + 1;
                    ExpiredCount++;
                }

                // Across a gap the link is checkable only where a record names the hash of the event just before.
                _prevHash = Records.FirstOrDefault(r => r.LastSeq == seq - 1)?.LastHash;
            }

            if (_prevHash is not null && !storedPrev.AsSpan().SequenceEqual(_prevHash))
            {
                return Bad(seq, ChainProblems.Unlinked, $"event {seq} does not link to event {seq - 1} (previous hash differs)");
            }

            if (recordedAt < _prevRecordedAt)
            {
                return Bad(seq, ChainProblems.Backdated, $"event {seq} was recorded before event {seq - 1}: it was inserted with a backdated time");
            }

            _prevRecordedAt = recordedAt;
            return null;
        }

        public void Accept(long seq, byte[] hash)
        {
            _prevHash = hash;
            Expected = seq + 1;
            Checked++;
        }

        public ChainVerdict? Finish()
        {
            var over = Records.FirstOrDefault(r => _missing.GetValueOrDefault(r.Id) > r.DroppedCount);
            return over is null ? null
                : Bad(over.FirstSeq, ChainProblems.Deleted,
                    $"{_missing[over.Id]} events are missing within {over.FirstSeq}-{over.LastSeq} but retention dropped only {over.DroppedCount}: some were deleted");
        }

        public ChainVerdict Bad(long seq, string kind, string problem) =>
            new(Tenant, false, Checked, seq, problem, kind, ExpiredCount, CheckpointsChecked, SignedThrough);

        public ChainVerdict Intact() => new(Tenant, true, Checked, null, null, null, ExpiredCount, CheckpointsChecked, SignedThrough);
    }
}
