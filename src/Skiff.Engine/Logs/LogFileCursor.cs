namespace Skiff.Engine.Logs;

/// <summary>An open log file read line by line from where the last read stopped. The file stays open, so when the shim
/// rotates it (rename to .1) the cursor still reaches the rest of what was written before the rename.</summary>
internal sealed class LogFileCursor : IDisposable
{
    readonly FileStream _file;
    readonly MemoryStream _pending = new();
    readonly byte[] _buf = new byte[64 * 1024];

    public LogFileCursor(string path)
    {
        Path = path;
        _file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, 1, FileOptions.None);
        var st = Skiff.Linux.Files.Fstat((int)_file.SafeFileHandle.DangerousGetHandle(), path);
        Inode = (st.Dev, st.Ino);
    }

    public string Path { get; }
    public (ulong Dev, ulong Ino) Inode { get; }

    /// <summary>Complete lines (without the newline) appended since the last call.</summary>
    public List<byte[]> ReadLines()
    {
        var lines = new List<byte[]>();
        int n;
        while ((n = _file.Read(_buf, 0, _buf.Length)) > 0)
        {
            int start = 0;
            for (int i = 0; i < n; i++)
            {
                if (_buf[i] != (byte)'\n') continue;
                if (_pending.Length > 0)
                {
                    _pending.Write(_buf, start, i - start);
                    lines.Add(_pending.ToArray());
                    _pending.SetLength(0);
                }
                else lines.Add(_buf.AsSpan(start, i - start).ToArray());
                start = i + 1;
            }
            _pending.Write(_buf, start, n - start);
        }
        return lines;
    }

    public void Dispose() => _file.Dispose();
}
