using System.Security.Cryptography;
using System.Text;

namespace Skiff.Build.Cache;

/// <summary>Builds a step's cache key: sha256 over length-prefixed fields (so "ab"+"c" and "a"+"bc" differ). The
/// caller adds the parent state, the instruction text after substitution, the build args the step sees and the
/// digests of what it takes from outside (files, mounts).</summary>
public sealed class CacheKey : IDisposable
{
    readonly IncrementalHash _h = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);

    public CacheKey Add(string field, string? value)
    {
        Write(field);
        Write(value ?? "\0null");
        return this;
    }

    void Write(string s)
    {
        var b = Encoding.UTF8.GetBytes(s);
        Span<byte> len = stackalloc byte[4];
        System.Buffers.Binary.BinaryPrimitives.WriteInt32LittleEndian(len, b.Length);
        _h.AppendData(len);
        _h.AppendData(b);
    }

    public string Finish() => Convert.ToHexStringLower(_h.GetHashAndReset());

    public void Dispose() => _h.Dispose();

    public static string Of(params string?[] fields)
    {
        using var k = new CacheKey();
        for (int i = 0; i < fields.Length; i++) k.Add(i.ToString(System.Globalization.CultureInfo.InvariantCulture), fields[i]);
        return k.Finish();
    }
}
