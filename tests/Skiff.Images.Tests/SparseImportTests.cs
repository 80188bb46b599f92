using System.Diagnostics;
using System.Security.Cryptography;
using Skiff.Images.Content;
using Skiff.Images.Layers;
using Skiff.Images.Tests.Services;
using Skiff.Images.Transfer;

namespace Skiff.Images.Tests;

/// <summary><c>skiff import</c> of a tarball with GNU sparse entries stores them dense: any tar reader can read the layer.</summary>
public class SparseImportTests
{
    [Fact]
    public void Imported_sparse_entries_become_dense_with_the_same_content()
    {
        using var t = new TempDir();
        var src = t.Sub("src");
        var file = Path.Combine(src, "f");
        using (var f = new FileStream(file, FileMode.CreateNew))
        {
            f.SetLength(3 << 20);
            f.Position = 1 << 20;
            f.Write(RandomNumberGenerator.GetBytes(5000));
        }
        var tar = Path.Combine(t.Path, "in.tar");
        using (var p = Process.Start("tar", $"-C {src} --sparse --format=posix -cf {tar} f")) p.WaitForExit();

        using var store = new Store();
        using var input = File.OpenRead(tar);
        var img = new Importer(store.Images).ImportTarball(input, "localhost/sparse:1");

        var blobPath = store.Images.Content.BlobPath(Digest.Parse(img.Manifest.Layers[0].Digest));
        using var plain = Decompression.Open(File.OpenRead(blobPath), Decompression.Detect(blobPath));
        using var r = new TarReader(plain);
        var e = r.Next()!;
        Assert.Equal("f", e.Name);
        Assert.Null(e.Sparse);
        Assert.Equal(3 << 20, e.Size);
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        for (var c = r.ReadChunk(); !c.IsEmpty; c = r.ReadChunk()) sha.AppendData(c);
        Assert.Equal(SHA256.HashData(File.ReadAllBytes(file)), sha.GetHashAndReset());
        Assert.Equal(File.ReadAllBytes(file), store.ReadFile(img, "f"));
    }
}
