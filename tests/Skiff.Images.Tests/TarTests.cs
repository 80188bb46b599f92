using Skiff.Images.Layers;

namespace Skiff.Images.Tests;

public class TarTests
{
    [Fact]
    public void Writer_and_reader_round_trip_long_names_binary_xattrs_devices_and_big_ids()
    {
        var cap = new byte[] { 0x01, 0x00, 0x00, 0x02, 0x00, 0x20, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0xff, 0xfe, 0x00, 0x80, 0x00, 0x00, 0x00, 0x00 };
        var longName = string.Join('/', Enumerable.Repeat("directory-name-that-is-long", 12)) + "/файл";
        var entries = new[]
        {
            new TarEntry { Name = "d/", Type = TarEntry.Directory, Mode = 0x1ed, MtimeSec = 1 },
            new TarEntry { Name = longName, Type = TarEntry.Regular, Mode = 0x1a4, Size = 3, Uid = 3_000_000, Gid = 7, MtimeSec = 1_700_000_000,
                Xattrs = new(StringComparer.Ordinal) { ["security.capability"] = cap, ["user.x"] = "y"u8.ToArray() } },
            new TarEntry { Name = "link", Type = TarEntry.Symlink, LinkName = "/" + new string('t', 150) },
            new TarEntry { Name = "hard", Type = TarEntry.HardLink, LinkName = longName },
            new TarEntry { Name = "null", Type = TarEntry.CharDevice, Mode = 0x1b6, DevMajor = 1, DevMinor = 3 },
            new TarEntry { Name = "fifo", Type = TarEntry.Fifo, Mode = 0x1a4 },
        };
        var ms = new MemoryStream();
        var w = new TarWriter(ms);
        foreach (var e in entries)
        {
            w.WriteHeader(e);
            if (e.Size > 0) w.WriteData("abc"u8);
        }
        w.Finish();
        ms.Position = 0;
        using var r = new TarReader(ms);
        var got = new List<TarEntry>();
        while (r.Next() is { } e)
        {
            if (e.Size > 0) { var b = new byte[10]; Assert.Equal(3, r.Read(b)); Assert.Equal("abc"u8.ToArray(), b[..3]); }
            got.Add(e);
        }
        Assert.Equal(entries.Length, got.Count);
        Assert.Equal(longName, got[1].Name);
        Assert.Equal(3_000_000, got[1].Uid);
        Assert.Equal(cap, got[1].Xattrs!["security.capability"]);
        Assert.Equal(entries[2].LinkName, got[2].LinkName);
        Assert.Equal(longName, got[3].LinkName);
        Assert.Equal((1u, 3u), (got[4].DevMajor, got[4].DevMinor));
        Assert.Equal(TarEntry.Fifo, got[5].Type);
    }

    [Fact]
    public void Reader_accepts_gnu_tar_output_with_long_names()
    {
        using var t = new TempDir();
        var deep = Path.Combine(t.Path, "src", string.Join('/', Enumerable.Repeat("abcdefghij", 15)));
        Directory.CreateDirectory(deep);
        File.WriteAllText(Path.Combine(deep, "f"), "x");
        var tar = Path.Combine(t.Path, "gnu.tar");
        Run("tar", $"--format=gnu -C {t.Path}/src -cf {tar} .");
        using var r = new TarReader(File.OpenRead(tar));
        var names = new List<string>();
        while (r.Next() is { } e) names.Add(e.Name);
        Assert.Contains(names, n => n.EndsWith("abcdefghij/f", StringComparison.Ordinal) && n.Length > 150);
    }

    [Fact]
    public void Corrupt_headers_and_truncation_are_reported()
    {
        var ms = new MemoryStream();
        var w = new TarWriter(ms);
        w.WriteHeader(new TarEntry { Name = "f", Size = 1000, Mode = 0x1a4 });
        w.WriteData(new byte[1000]);
        w.Finish();
        var bytes = ms.ToArray();
        var bad = (byte[])bytes.Clone();
        bad[10] ^= 0xff;
        Assert.Throws<InvalidDataException>(() => new TarReader(new MemoryStream(bad)).Next());
        using var r = new TarReader(new MemoryStream(bytes[..700]));
        r.Next();
        Assert.Throws<EndOfStreamException>(() => { var b = new byte[2000]; while (r.Read(b) > 0) { } });
    }

    internal static string Run(string file, string args)
    {
        var psi = new System.Diagnostics.ProcessStartInfo(file, args) { RedirectStandardOutput = true, RedirectStandardError = true };
        using var p = System.Diagnostics.Process.Start(psi)!;
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEnd();
        p.WaitForExit();
        if (p.ExitCode != 0) throw new Exception($"{file} {args} failed ({p.ExitCode}): {stderr}");
        return stdout.Result;
    }
}
