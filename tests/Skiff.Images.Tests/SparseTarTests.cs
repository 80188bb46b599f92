using System.Diagnostics;
using System.Security.Cryptography;
using Skiff.Images.Layers;
using Skiff.Linux;

namespace Skiff.Images.Tests;

/// <summary>GNU sparse entries written by GNU tar itself, in every format it has, applied by the layer applier.</summary>
public class SparseTarTests
{
    public static TheoryData<string> Formats => new()
    {
        "--format=gnu",
        "--format=posix --sparse-version=0.0",
        "--format=posix --sparse-version=0.1",
        "--format=posix --sparse-version=1.0",
        "--format=posix", // GNU tar's default for pax: 1.0
    };

    [Theory]
    [MemberData(nameof(Formats))]
    public void Sparse_files_from_gnu_tar_apply_with_their_size_content_and_holes(string format)
    {
        using var t = new TempDir();
        var src = t.Sub("src");
        var files = new Dictionary<string, long>
        {
            ["trailing-hole"] = MakeSparse(Path.Combine(src, "trailing-hole"), 10 << 20, [(1_000_000, 5), (8_192_000, 8192)]),
            ["data-at-both-ends"] = MakeSparse(Path.Combine(src, "data-at-both-ends"), 4 << 20, [(0, 100), ((4 << 20) - 4096, 4096)]),
            // more regions than an old GNU header holds: the map continues in extension blocks
            ["dir/many-regions"] = MakeSparse(Path.Combine(src, "dir/many-regions"), 60 << 16,
                [.. Enumerable.Range(0, 30).Select(i => ((long)i * 2 << 16, 4096))]),
            ["all-hole"] = MakeSparse(Path.Combine(src, "all-hole"), 1 << 20, []),
        };
        var tar = Path.Combine(t.Path, "layer.tar");
        Run("tar", $"-C {src} --sparse {format} -cf {tar} {string.Join(' ', files.Keys)}");

        var root = t.Sub("root");
        using (var a = new LayerApplier(root, WhiteoutStyle.Delete))
        using (var s = File.OpenRead(tar))
            a.Apply(s);

        foreach (var (name, size) in files)
        {
            var got = Files.StatAt(Files.AT_FDCWD, Path.Combine(root, name), Files.AT_SYMLINK_NOFOLLOW);
            Assert.Equal(Files.S_IFREG, got.Mode & Files.S_IFMT);
            Assert.Equal(size, got.Size);
            Assert.Equal(Sha256(Path.Combine(src, name)), Sha256(Path.Combine(root, name)));
            Assert.True(got.Blocks * 512 < size / 2, $"{name}: {got.Blocks} blocks of 512 for {size} bytes: holes were filled");
        }
    }

    [Fact]
    public void The_reader_reports_the_map_and_hands_out_only_stored_bytes()
    {
        using var t = new TempDir();
        var src = t.Sub("src");
        MakeSparse(Path.Combine(src, "f"), 1 << 20, [(65536, 4096)]);
        var tar = Path.Combine(t.Path, "f.tar");
        Run("tar", $"-C {src} --sparse --format=posix --sparse-version=1.0 -cf {tar} f");
        using var s = File.OpenRead(tar);
        using var r = new TarReader(s);
        var e = r.Next()!;
        Assert.Equal("f", e.Name); // GNU.sparse.name, not the GNUSparseFile.N/ placeholder
        Assert.True(e.IsRegular);
        Assert.Equal(1 << 20, e.Sparse!.RealSize);
        Assert.Contains(new SparseRegion(65536, 4096), e.Sparse.Regions);
        Assert.Equal(e.Sparse.Regions.Sum(x => x.Length), e.Size);
        long read = 0;
        for (var c = r.ReadChunk(); !c.IsEmpty; c = r.ReadChunk()) read += c.Length;
        Assert.Equal(e.Size, read);
        Assert.Null(r.Next());
    }

    /// <summary>A file of <paramref name="size"/> bytes, all hole but for the given runs of pseudo-random data.</summary>
    static long MakeSparse(string path, long size, (long Offset, int Length)[] data)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        Run("truncate", $"-s {size} {path}");
        var rng = new Random(data.Length);
        using var f = new FileStream(path, FileMode.Open, FileAccess.Write);
        foreach (var (offset, length) in data)
        {
            var bytes = new byte[length];
            rng.NextBytes(bytes);
            f.Position = offset;
            f.Write(bytes);
        }
        return size;
    }

    static string Sha256(string path)
    {
        using var f = File.OpenRead(path);
        return Convert.ToHexString(SHA256.HashData(f));
    }

    static void Run(string file, string args)
    {
        using var p = Process.Start(new ProcessStartInfo(file, args) { RedirectStandardError = true })!;
        var err = p.StandardError.ReadToEnd();
        p.WaitForExit();
        Assert.True(p.ExitCode == 0, $"{file} {args}: {err}");
    }
}
