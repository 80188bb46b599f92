using System.Runtime.InteropServices;
using System.Text;
using Skiff.Linux;

namespace Skiff.Shim;

/// <summary>
/// Docker's json-file log: one JSON object per line, <c>{"log":"…","stream":"stdout","time":"…"}</c>, escaped as
/// moby's jsonlog does (control characters, <c>&lt; &gt; &amp;</c> as \u00XX, invalid UTF-8 as \ufffd, U+2028/9
/// escaped), the newline back on complete lines, none on partial ones. Rotation as moby's LogFile: before a write,
/// when the file already holds max-size bytes, <c>log.N-1 → log.N … log → log.1</c> and a fresh file (max-file 1:
/// the file is truncated). Writes go straight to the fd from one reused native buffer (no allocation).
/// </summary>
sealed unsafe class JsonFileLog : IDisposable
{
    const int MaxLine = OutputStream.BufferSize;
    static ReadOnlySpan<byte> Hex => "0123456789abcdef"u8;

    readonly string path;
    readonly long maxSize;
    readonly int maxFiles;
    Fd fd;
    long size;
    byte* buffer;
    readonly int capacity = MaxLine * 6 + 128;

    public JsonFileLog(string path, long maxSize, int maxFiles)
    {
        this.path = path;
        this.maxSize = maxSize;
        this.maxFiles = Math.Max(1, maxFiles);
        Open(truncate: false);
    }

    void Open(bool truncate)
    {
        fd = Files.Open(path, Files.O_WRONLY | Files.O_CREAT | Files.O_APPEND | (truncate ? Files.O_TRUNC : 0), 0x1a0 /* 0640 */);
        size = Files.Fstat(fd.Value, path).Size;
    }

    /// <summary>Logs one message: <paramref name="line"/> without its newline; <paramref name="complete"/> puts the
    /// newline back (false for docker's partial messages).</summary>
    public void Write(byte stream, byte* line, int length, bool complete, long seconds, long nanoseconds)
    {
        if (buffer is null) buffer = (byte*)NativeMemory.Alloc((nuint)capacity);
        var o = new Span<byte>(buffer, capacity);
        int i = 0;
        Put(o, ref i, "{\"log\":\""u8);
        i += Escape(new ReadOnlySpan<byte>(line, length), o[i..]);
        if (complete) Put(o, ref i, "\\n"u8);
        Put(o, ref i, stream == 2 ? "\",\"stream\":\"stderr\",\"time\":\""u8 : "\",\"stream\":\"stdout\",\"time\":\""u8);
        i += LogTimestamp.Format(seconds, nanoseconds, o[i..]);
        Put(o, ref i, "\"}\n"u8);

        if (maxSize > 0 && size >= maxSize) Rotate();
        if (Files.WriteFully(fd.Value, buffer, i) == 0) size += i;
    }

    static void Put(Span<byte> o, ref int i, ReadOnlySpan<byte> s) { s.CopyTo(o[i..]); i += s.Length; }

    /// <summary>moby's ffjsonWriteJSONBytesAsString, byte for byte.</summary>
    static int Escape(ReadOnlySpan<byte> s, Span<byte> o)
    {
        int i = 0, w = 0;
        while (i < s.Length)
        {
            byte b = s[i];
            if (b < 0x80)
            {
                if (b >= 0x20 && b != '\\' && b != '"' && b != '<' && b != '>' && b != '&') { o[w++] = b; i++; continue; }
                o[w++] = (byte)'\\';
                switch (b)
                {
                    case (byte)'\\': case (byte)'"': o[w++] = b; break;
                    case (byte)'\n': o[w++] = (byte)'n'; break;
                    case (byte)'\r': o[w++] = (byte)'r'; break;
                    default:
                        o[w++] = (byte)'u'; o[w++] = (byte)'0'; o[w++] = (byte)'0';
                        o[w++] = Hex[b >> 4]; o[w++] = Hex[b & 0xf];
                        break;
                }
                i++;
                continue;
            }
            // Go's utf8.DecodeRune: any invalid or truncated sequence is one RuneError byte.
            if (Rune.DecodeFromUtf8(s[i..], out var rune, out int used) != System.Buffers.OperationStatus.Done)
            {
                "\\ufffd"u8.CopyTo(o[w..]); w += 6; i++;
                continue;
            }
            if (rune.Value is 0x2028 or 0x2029)
            {
                "\\u202"u8.CopyTo(o[w..]); w += 5; o[w++] = Hex[rune.Value & 0xf];
            }
            else { s.Slice(i, used).CopyTo(o[w..]); w += used; }
            i += used;
        }
        return w;
    }

    void Rotate()
    {
        fd.Dispose();
        if (maxFiles >= 2)
        {
            for (int n = maxFiles - 1; n > 1; n--)
            {
                var from = $"{path}.{n - 1}";
                if (File.Exists(from)) File.Move(from, $"{path}.{n}", overwrite: true);
            }
            File.Move(path, path + ".1", overwrite: true);
        }
        Open(truncate: true);
    }

    public void Dispose()
    {
        fd.Dispose();
        if (buffer is not null) { NativeMemory.Free(buffer); buffer = null; }
    }
}
