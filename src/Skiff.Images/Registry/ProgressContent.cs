using System.Net;

namespace Skiff.Images.Registry;

/// <summary>An upload body that reports how many bytes went out.</summary>
public sealed class ProgressContent(Stream source, long length, IProgress<long>? progress) : HttpContent
{
    protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context)
    {
        var buf = new byte[1 << 16];
        long sent = 0;
        int n;
        while ((n = await source.ReadAsync(buf)) > 0)
        {
            await stream.WriteAsync(buf.AsMemory(0, n));
            sent += n;
            progress?.Report(sent);
        }
    }

    protected override bool TryComputeLength(out long len) { len = length; return true; }
    protected override void Dispose(bool disposing) { if (disposing) source.Dispose(); base.Dispose(disposing); }
}
