using System.Text;
using Skiff.Images.Content;

namespace Skiff.Images.Layers;

/// <summary>image-spec ChainID: the identity of a stack of layers. ChainID(L0) = DiffID(L0);
/// ChainID(L0..n) = sha256(ChainID(L0..n-1) + " " + DiffID(Ln)).</summary>
public static class ChainId
{
    public static Digest[] Of(IReadOnlyList<string> diffIds)
    {
        var chain = new Digest[diffIds.Count];
        for (int i = 0; i < diffIds.Count; i++)
        {
            var d = Digest.Parse(diffIds[i]);
            chain[i] = i == 0 ? d : Digest.Sha256(Encoding.ASCII.GetBytes($"{chain[i - 1]} {d}"));
        }
        return chain;
    }
}
