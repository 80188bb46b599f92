namespace Skiff.Images.Layers;

/// <summary>OCI/AUFS whiteout names: ".wh.NAME" deletes NAME from lower layers, ".wh..wh..opq" hides a directory's lower
/// contents. Overlayfs spells the same things as a 0/0 character device and the trusted.overlay.opaque xattr.</summary>
public static class Whiteouts
{
    public const string Prefix = ".wh.", MetaPrefix = ".wh..wh.", Opaque = ".wh..wh..opq";
    public const string OverlayOpaqueXattr = "trusted.overlay.opaque";

    public static bool IsWhiteout(string baseName) => baseName.StartsWith(Prefix, StringComparison.Ordinal);
}

/// <summary>How a whiteout is applied: removing the lower file (a full copy of the tree) or writing an overlayfs
/// whiteout into an upper directory.</summary>
public enum WhiteoutStyle { Delete, Overlay }
