using System.Globalization;

namespace Skiff.Engine.Networking;

/// <summary>An IPv4 address as a host-order number (so ranges are plain arithmetic).</summary>
public readonly record struct Ipv4Address(uint Value)
{
    public static Ipv4Address Parse(string text, string what)
        => TryParse(text, out var a) ? a : throw EngineException.Invalid($"invalid {what} \"{text}\": not an IPv4 address");

    public static bool TryParse(string text, out Ipv4Address address)
    {
        address = default;
        var parts = text.Split('.');
        if (parts.Length != 4) return false;
        uint v = 0;
        foreach (var p in parts)
        {
            if (p.Length is 0 or > 3 || !byte.TryParse(p, NumberStyles.None, CultureInfo.InvariantCulture, out var b)) return false;
            v = v << 8 | b;
        }
        address = new Ipv4Address(v);
        return true;
    }

    public byte[] Bytes() => [(byte)(Value >> 24), (byte)(Value >> 16), (byte)(Value >> 8), (byte)Value];

    public override string ToString() => $"{Value >> 24}.{(Value >> 16) & 255}.{(Value >> 8) & 255}.{Value & 255}";
}

/// <summary>An IPv4 subnet "a.b.c.d/n" whose host bits are zero.</summary>
public readonly record struct Ipv4Subnet(Ipv4Address Network, int PrefixLength)
{
    public static Ipv4Subnet Parse(string text, string what = "subnet")
    {
        var slash = text.IndexOf('/');
        if (slash < 0 || !Ipv4Address.TryParse(text[..slash], out var a)
            || !int.TryParse(text[(slash + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out var n) || n > 32)
            throw EngineException.Invalid($"invalid {what} \"{text}\": expected an IPv4 CIDR such as 10.89.0.0/16");
        var s = new Ipv4Subnet(new Ipv4Address(a.Value & MaskOf(n)), n);
        if (s.Network != a) throw EngineException.Invalid($"invalid {what} \"{text}\": host bits are set (did you mean {s}?)");
        if (n > 30) throw EngineException.Invalid($"invalid {what} \"{text}\": a /{n} leaves no room for a gateway and containers");
        return s;
    }

    public uint Mask => MaskOf(PrefixLength);
    public Ipv4Address Broadcast => new(Network.Value | ~Mask);
    /// <summary>The first host address (.1 in a /24): docker's default gateway.</summary>
    public Ipv4Address FirstHost => new(Network.Value + 1);
    public Ipv4Address LastHost => new(Broadcast.Value - 1);

    public bool Contains(Ipv4Address a) => (a.Value & Mask) == Network.Value;

    public bool Overlaps(Ipv4Subnet other)
    {
        int p = Math.Min(PrefixLength, other.PrefixLength);
        uint m = MaskOf(p);
        return (Network.Value & m) == (other.Network.Value & m);
    }

    static uint MaskOf(int prefix) => prefix == 0 ? 0 : uint.MaxValue << (32 - prefix);

    public override string ToString() => $"{Network}/{PrefixLength}";
}
