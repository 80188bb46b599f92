namespace Skiff.Engine.Specs;

/// <summary>--security-opt values: no-new-privileges[:true|false], seccomp=unconfined|FILE, label/apparmor (accepted,
/// nothing to apply on this host).</summary>
public sealed record SecurityOptions(bool NoNewPrivileges, bool SeccompUnconfined, string? SeccompFile)
{
    public static SecurityOptions Parse(IEnumerable<string>? opts)
    {
        bool nnp = false, unconfined = false;
        string? file = null;
        foreach (var o in opts ?? [])
        {
            var (k, v) = o.IndexOf('=') is var i and >= 0 ? (o[..i], o[(i + 1)..]) : o.IndexOf(':') is var j and >= 0 ? (o[..j], o[(j + 1)..]) : (o, "");
            switch (k)
            {
                case "no-new-privileges":
                    nnp = v is "" or "true" ? true : v == "false" ? false : throw EngineException.Invalid($"invalid --security-opt: {o}");
                    break;
                case "seccomp":
                    if (v == "unconfined") unconfined = true;
                    else if (v.Length > 0) file = v;
                    else throw EngineException.Invalid($"invalid --security-opt: {o}");
                    break;
                case "label" or "apparmor" or "systempaths": break;
                default: throw EngineException.Invalid($"invalid --security-opt: {o}");
            }
        }
        return new SecurityOptions(nnp, unconfined, file);
    }
}
