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

    public static async Task<byte[]> ReadAsync(HttpRequest request, int limit, CancellationToken ct)
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

        await using (source)
        {
            using var buffer = new MemoryStream();
            var chunk = new byte[16 * 1024];
            try
            {
                int read;
                while ((read = await source.ReadAsync(chunk, ct)) > 0)
                {
                    if (buffer.Length + read > limit)
                    {
                        throw new TooLargeException(limit);
                    }

                    buffer.Write(chunk, 0, read);
                }
            }
            catch (InvalidDataException ex)
            {
                throw new BadEncodingException($"The gzip body is corrupt: {ex.Message}");
            }

            return buffer.ToArray();
        }
    }
}
