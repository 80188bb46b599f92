using System.Runtime.InteropServices;

namespace Skiff.Linux;

/// <summary>An owned file descriptor. Dispose closes it; <see cref="Release"/> gives up ownership.</summary>
public struct Fd : IDisposable
{
    public Fd(int value) => Value = value;
    public int Value { get; private set; }
    public readonly bool IsValid => Value >= 0;
    public static Fd None => new(-1);

    public int Release() { var v = Value; Value = -1; return v; }

    public void Dispose()
    {
        if (Value >= 0) { Native.close(Value); Value = -1; }
    }

    public override readonly string ToString() => Value.ToString();
}

public static partial class Files
{
    /// <summary>Closes a raw fd that no <see cref="Fd"/> owns.</summary>
    public static void Close(int fd) => Native.close(fd);
}

internal static partial class Native
{
    [LibraryImport("libc", SetLastError = true)] internal static partial int close(int fd);
}
