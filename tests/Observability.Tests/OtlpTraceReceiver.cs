using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Observability.Tests;

/// <summary>
/// An OTLP/HTTP (protobuf) receiver of the test's own: keeps the trace id of every span a service exports. Only the few
/// fields on the way to a span's trace id are read (ExportTraceServiceRequest → resource_spans(1) → scope_spans(2) →
/// spans(2) → trace_id(1)); no OTLP library is available, and the wire format is stable.
/// </summary>
public sealed class OtlpTraceReceiver : IAsyncDisposable
{
    private readonly WebApplication _app;

    private OtlpTraceReceiver(WebApplication app, Uri url)
    {
        _app = app;
        Url = url;
    }

    public Uri Url { get; }
    public ConcurrentDictionary<string, byte> TraceIds { get; } = new();

    public static async Task<OtlpTraceReceiver> StartAsync()
    {
        var port = PostgresServer.FreePort();
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls($"http://127.0.0.1:{port}");
        var app = builder.Build();
        var receiver = new OtlpTraceReceiver(app, new Uri($"http://127.0.0.1:{port}"));
        app.MapPost("/v1/{signal}", async (string signal, HttpRequest request) =>
        {
            using var body = new MemoryStream();
            await request.Body.CopyToAsync(body);
            if (signal == "traces")
            {
                foreach (var id in TraceIdsOf(body.ToArray()))
                {
                    receiver.TraceIds.TryAdd(id, 0);
                }
            }

            return Results.Bytes([], "application/x-protobuf");
        });
        await app.StartAsync();
        return receiver;
    }

    private static IEnumerable<string> TraceIdsOf(byte[] request) =>
        Fields(request, 1).SelectMany(resourceSpans => Fields(resourceSpans, 2))
            .SelectMany(scopeSpans => Fields(scopeSpans, 2))
            .SelectMany(span => Fields(span, 1))
            .Select(Convert.ToHexStringLower);

    /// <summary>The length-delimited fields with the given number in one protobuf message.</summary>
    private static IEnumerable<byte[]> Fields(byte[] message, int number)
    {
        var found = new List<byte[]>();
        var i = 0;
        while (i < message.Length)
        {
            var key = Varint(message, ref i);
            var wireType = (int)(key & 7);
            switch (wireType)
            {
                case 0:
                    Varint(message, ref i);
                    break;
                case 1:
                    i += 8;
                    break;
                case 5:
                    i += 4;
                    break;
                case 2:
                    var length = (int)Varint(message, ref i);
                    if ((int)(key >> 3) == number)
                    {
                        found.Add(message[i..(i + length)]);
                    }

                    i += length;
                    break;
                default:
                    throw new InvalidDataException($"Unexpected protobuf wire type {wireType}.");
            }
        }

        return found;
    }

    private static ulong Varint(byte[] buffer, ref int i)
    {
        ulong value = 0;
        for (var shift = 0; ; shift += 7)
        {
            var b = buffer[i++];
            value |= (ulong)(b & 0x7F) << shift;
            if (b < 0x80)
            {
                return value;
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
