#!/usr/bin/env python3
# Sorts the samples of a perf profile of AuditService under the ingest bench into the service's stages, by the frames
# on each sample's stack (the first rule that matches wins; kernel samples under Npgsql or Kestrel are socket I/O).
# Needs the service's JIT symbols: run the bench with BENCH_SERVICE_DOTNET_PerfMapEnabled=1
# BENCH_SERVICE_DOTNET_EnableWriteXorExecute=0, then `perf record -F 1999 -g -p <AuditService pid> -- sleep 9` inside a
# measured window, and `python3 perf-stages.py perf.data` (docs/benchmarks.md).
import sys, subprocess, re, collections
data = sys.argv[1]
trange = sys.argv[2] if len(sys.argv) > 2 else None  # optional: perf's --time range (start,end)
cmd = ["perf", "script", "-i", data, "-F", "comm,time,ip,sym,dso"]
if trange: cmd += ["--time", trange]
out = subprocess.run(cmd, capture_output=True, text=True).stdout
rules = [
 ("metrics: the bench's /metrics scrape", r"Prometheus"),
 ("hash: SHA-256 (OpenSSL)", r"libcrypto|IncrementalHash|HashProvider|EvpHash"),
 ("hash: the hashed form", r"EventHasher|HashFormWriter"),
 ("parse: payload to canonical JSON", r"CanonicalJson|Payload::Read"),
 ("parse: JSON tokenizer (Utf8JsonReader)", r"Utf8JsonReader::(Read|Consume|Skip|TryGet|ValueTextEquals|StartArray|StartObject|EndObject|EndArray)"),
 ("parse: fields to strings, ids, times", r"EventBodyReader|IngestRequestParser::Parse\("),
 ("validate", r"AuditEventValidator"),
 ("write: binding columns (Npgsql parameters, UTF-8 columns)", r"Utf8Columns|AddInsertCommands|ProcessParameters|PgArrayConverter|ArrayBasedArrayConverter|NpgsqlParameter|WriteBind|Npgsql\.Internal\.Converters"),
 ("write: chain bookkeeping", r"ChainedBatchStore::Chain|ChainedBatchStore"),
 ("PostgreSQL protocol and socket I/O (Npgsql)", r"Npgsql"),
 ("request body read (Kestrel, pooled buffer)", r"RequestBodyReader|HttpRequestStream|Http1ContentLengthMessageBody"),
 ("response JSON", r"WriteAsJsonAsync|JsonSerializer|JsonTypeInfo|ObjectDefaultConverter|JsonConverter"),
 ("metrics and tracing", r"OpenTelemetry|IngestMetrics|System\.Diagnostics\.Metrics|System\.Diagnostics\.Activity"),
 ("HTTP server and middleware (Kestrel, routing, auth)", r"Kestrel|AspNetCore|HttpProtocol|EndpointMiddleware|Authentication|Authorization"),
 ("GC and allocation", r"\.NET Server GC|\.NET BGC|gc_heap|GCHeap|Alloc"),
]
counts = collections.Counter(); total = 0
for block in out.split("\n\n"):
    lines = [l for l in block.strip().split("\n") if l.strip()]
    if not lines: continue
    total += 1
    text = "\n".join(lines)
    leaf = lines[1] if len(lines) > 1 else ""
    if "kernel" in leaf and re.search(r"Npgsql", text):
        counts["socket I/O to PostgreSQL (kernel, under Npgsql)"] += 1; continue
    if "kernel" in leaf and re.search(r"Kestrel|System\.Net\.Sockets|SocketAsyncEngine", text):
        counts["socket I/O for HTTP (kernel, under Kestrel/sockets)"] += 1; continue
    for name, pat in rules:
        if re.search(pat, text):
            counts[name] += 1; break
    else:
        leaf = lines[1] if len(lines) > 1 else ""
        if "kernel" in leaf: counts["other: kernel (scheduling, wake-ups, syscalls)"] += 1
        elif "libcoreclr" in leaf: counts["other: runtime (libcoreclr: GC, thread pool, stubs)"] += 1
        elif "libclrjit" in leaf: counts["other: JIT"] += 1
        else: counts["other"] += 1
for name, c in counts.most_common():
    print(f"{100*c/total:5.1f} %  {name}")
print(total, "samples")
