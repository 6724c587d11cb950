using System.Text.Json;
using System.Text.Json.Serialization;

namespace Audit.Contracts;

/// <summary>
/// The ingest answer's serializer, generated at build time with the web defaults the services use: AuditService writes
/// one result per event, so its serialization is per-event work (docs/benchmarks.md).
/// </summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web)]
[JsonSerializable(typeof(IngestResponse))]
public sealed partial class IngestJsonContext : JsonSerializerContext;
