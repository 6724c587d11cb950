using System.Buffers;
using System.IO.Compression;

namespace AuditService.Ingestion;

/// <summary>Reads a request body into memory, gunzipping it if asked, and refuses more than the limit either way.</summary>
public static class RequestBodyReader
{
    public sealed class TooLargeException(long limit) : Exception($"The body is larger than {limit} bytes.")
    {
        public long Limit { get; } = limit;
    }

    public sealed class BadEncodingException(string message) : Exception(message);

    /// <summary>A body read into a pooled buffer; dispose to return it.</summary>
    public sealed class Body(byte[] buffer, int length) : IDisposable
    {
        private byte[]? _buffer = buffer;

        public ReadOnlySpan<byte> Span => _buffer.AsSpan(0, length);

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _buffer, null) is { } rented)
            {
                ArrayPool<byte>.Shared.Return(rented);
            }
        }
    }

    public static async Task<Body> ReadAsync(HttpRequest request, int limit, CancellationToken ct)
    {
        if (request.ContentLength > limit)
        {
            throw new TooLargeException(limit);
        }

        var encoding = request.Headers.ContentEncoding.ToString();
        Stream source = encoding switch
        {
            "" or "identity" => request.Body,
            "gzip" => new GZipStream(request.Body, CompressionMode.Decompress, leaveOpen: true),
            _ => throw new BadEncodingException($"Content-Encoding '{encoding}' is not supported; send identity or gzip."),
        };

        // Pooled and grown by doubling: a batch's body is read once, without a copy per chunk or at the end.
        var buffer = ArrayPool<byte>.Shared.Rent((int)Math.Clamp(request.ContentLength ?? 16 * 1024, 1024, limit + 1L));
        var length = 0;
        try
        {
            await using (source)
            {
                int read;
                while ((read = await source.ReadAsync(buffer.AsMemory(length), ct)) > 0)
                {
                    length += read;
                    if (length > limit)
                    {
                        throw new TooLargeException(limit);
                    }

                    if (length == buffer.Length)
                    {
                        var larger = ArrayPool<byte>.Shared.Rent((int)Math.Min(buffer.Length * 2L, limit + 1L));
                        buffer.AsSpan(0, length).CopyTo(larger);
                        ArrayPool<byte>.Shared.Return(buffer);
                        buffer = larger;
                    }
                }
            }

            return new Body(buffer, length);
        }
        catch (InvalidDataException ex)
        {
            ArrayPool<byte>.Shared.Return(buffer);
            throw new BadEncodingException($"The gzip body is corrupt: {ex.Message}");
        }
        catch
        {
            ArrayPool<byte>.Shared.Return(buffer);
            throw;
        }
    }
}
