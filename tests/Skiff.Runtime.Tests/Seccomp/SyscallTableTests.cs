using System.Text.RegularExpressions;
using Skiff.Runtime.Seccomp;
using Xunit;

namespace Skiff.Runtime.Tests.Seccomp;

/// <summary>The generated tables must say exactly what the kernel headers (linux-libc-dev) say.</summary>
public partial class SyscallTableTests
{
    const string Include = "/usr/include/x86_64-linux-gnu/asm";

    [GeneratedRegex(@"^#define __NR_(\w+)\s+(?:\(__X32_SYSCALL_BIT \+ (\d+)\)|(\d+))\s*$")]
    private static partial Regex Define();

    static Dictionary<string, int> Header(string file)
    {
        var table = new Dictionary<string, int>();
        foreach (var line in File.ReadLines(Path.Combine(Include, file)))
        {
            var m = Define().Match(line.Trim());
            if (!m.Success) continue;
            table.Add(m.Groups[1].Value, m.Groups[2].Success ? 0x4000_0000 + int.Parse(m.Groups[2].Value) : int.Parse(m.Groups[3].Value));
        }
        return table;
    }

    [Theory]
    [InlineData(SyscallAbi.X86_64, "unistd_64.h")]
    [InlineData(SyscallAbi.X86, "unistd_32.h")]
    [InlineData(SyscallAbi.X32, "unistd_x32.h")]
    public void TableMatchesTheKernelHeaderExactly(SyscallAbi abi, string header)
    {
        var expected = Header(header);
        Assert.True(expected.Count > 300, $"{header}: only {expected.Count} syscalls parsed");
        foreach (var (name, number) in expected)
            Assert.True(SyscallTable.Number(abi, name) == number, $"{abi} {name}: header {number}, table {SyscallTable.Number(abi, name)}");
        var entries = SyscallTable.Entries(abi);
        Assert.Equal(expected.Count, entries.Length);
        foreach (var (name, number) in entries)
            Assert.True(expected.TryGetValue(name, out var n) && n == number, $"{abi} {name} = {number} is not in {header}");
        Assert.Equal(-1, SyscallTable.Number(abi, "no_such_syscall"));
        Assert.Equal(-1, SyscallTable.Number(abi, ""));
        Assert.Equal(-1, SyscallTable.Number(abi, "reäd"));
        // The compiler packs numbers (without the x32 bit) into 12 bits.
        Assert.All(entries, e => Assert.InRange(e.Number & ~0x4000_0000, 0, 4095));
    }

    [Fact]
    public void WellKnownNumbers()
    {
        Assert.Equal(272, SyscallTable.X86_64("unshare"));
        Assert.Equal(310, SyscallTable.X86("unshare"));
        Assert.Equal(0x4000_0000 + 272, SyscallTable.X32("unshare"));
        Assert.Equal(0x4000_0000 + 512, SyscallTable.X32("rt_sigaction"));
        Assert.Equal(-1, SyscallTable.X86_64("socketcall"));
        Assert.Equal(102, SyscallTable.X86("socketcall"));
    }
}
