using System.Diagnostics;
using System.Text.Json;

namespace Skiff.Engine.Tests.Networking;

/// <summary>`skiff network …` through the real (NativeAOT) binary, on a test bed's roots, bridge, subnets and table.</summary>
[Collection("Networking")]
public class CliNetworkTests : IDisposable
{
    readonly NetworkTestBed _bed = new();

    public void Dispose() => _bed.Dispose();

    static string Skiff()
    {
        if (Environment.GetEnvironmentVariable("SKIFF_BINARY") is { Length: > 0 } env) return env;
        var dir = AppContext.BaseDirectory;
        while (dir is not null && !File.Exists(Path.Combine(dir, "Skiff.slnx"))) dir = Path.GetDirectoryName(dir);
        var path = Path.Combine(dir ?? "/", "out/skiff/skiff");
        return File.Exists(path) ? path : throw new InvalidOperationException("skiff binary not found: set SKIFF_BINARY or run scripts/build.sh");
    }

    (int Code, string Out, string Err) Run(params string[] args)
    {
        var psi = new ProcessStartInfo(Skiff(), args) { RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = true };
        psi.Environment["SKIFF_ROOT"] = _bed.Roots.DataRoot;
        psi.Environment["SKIFF_RUN_ROOT"] = _bed.Roots.RunRoot;
        psi.Environment["SKIFF_DEFAULT_BRIDGE"] = _bed.Options.DefaultBridge;
        psi.Environment["SKIFF_DEFAULT_SUBNET"] = _bed.Options.DefaultSubnet;
        psi.Environment["SKIFF_NETWORK_POOL"] = _bed.Options.Pool;
        psi.Environment["SKIFF_NFT_TABLE"] = _bed.Options.NftTable;
        using var p = Process.Start(psi)!;
        p.StandardInput.Close();
        var err = p.StandardError.ReadToEndAsync();
        var output = p.StandardOutput.ReadToEnd();
        p.WaitForExit();
        return (p.ExitCode, output, err.Result);
    }

    [Fact]
    public void Create_ls_inspect_rm_prune_with_docker_output()
    {
        var name = $"cli{_bed.Tag}";
        var created = Run("network", "create", "--subnet", "10.233.40.0/24", "--label", "tier=front", "-o", "com.docker.network.bridge.name=skcli" + _bed.Tag[..Math.Min(_bed.Tag.Length, 10)], name);
        Assert.True(created.Code == 0, created.Err);
        var id = created.Out.Trim();
        Assert.Matches("^[0-9a-f]{64}$", id);

        var ls = Run("network", "ls");
        var lines = ls.Out.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Matches(@"^NETWORK ID\s+NAME\s+DRIVER\s+SCOPE$", lines[0]);
        Assert.Contains(lines, l => l.StartsWith(id[..12]) && l.Contains($" {name} ") && l.EndsWith("local"));
        Assert.Equal(["bridge", name, "host", "none"], lines.Skip(1).Select(l => l.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1]));
        Assert.Contains(id[..12], Run("network", "ls", "-q").Out.Split('\n'));
        Assert.Equal(id[..12] + "\n", Run("network", "ls", "-q", "--filter", $"name={name}").Out);

        var json = Run("network", "ls", "--format", "json", "-f", "label=tier=front").Out.Trim();
        using (var doc = JsonDocument.Parse(json))
        {
            Assert.Equal(name, doc.RootElement.GetProperty("Name").GetString());
            Assert.Equal("bridge", doc.RootElement.GetProperty("Driver").GetString());
            Assert.Equal("tier=front", doc.RootElement.GetProperty("Labels").GetString());
        }

        var inspect = Run("network", "inspect", name);
        Assert.Equal(0, inspect.Code);
        using (var doc = JsonDocument.Parse(inspect.Out))
        {
            var n = Assert.Single(doc.RootElement.EnumerateArray().ToList());
            Assert.Equal(name, n.GetProperty("Name").GetString());
            Assert.Equal(id, n.GetProperty("Id").GetString());
            Assert.Equal("local", n.GetProperty("Scope").GetString());
            Assert.Equal("10.233.40.0/24", n.GetProperty("IPAM").GetProperty("Config")[0].GetProperty("Subnet").GetString());
            Assert.Equal("10.233.40.1", n.GetProperty("IPAM").GetProperty("Config")[0].GetProperty("Gateway").GetString());
            Assert.False(n.GetProperty("Internal").GetBoolean());
            Assert.Equal(JsonValueKind.Object, n.GetProperty("Containers").ValueKind);
            Assert.Equal("front", n.GetProperty("Labels").GetProperty("tier").GetString());
            Assert.True(n.TryGetProperty("Created", out _));
            Assert.True(n.TryGetProperty("Options", out _));
        }

        var missing = Run("network", "inspect", "nosuchnet");
        Assert.Equal(1, missing.Code);
        Assert.Contains("network nosuchnet not found", missing.Err);
        var dup = Run("network", "create", name);
        Assert.NotEqual(0, dup.Code);
        Assert.Contains($"network with name {name} already exists", dup.Err);
        Assert.Equal(125, Run("network", "create").Code);

        Assert.Equal(name + "\n", Run("network", "rm", name).Out);
        Assert.DoesNotContain(name, Run("network", "ls").Out);
        Assert.Contains("pre-defined", Run("network", "rm", "bridge").Err);

        Assert.Equal(0, Run("network", "create", "p1" + _bed.Tag).Code);
        Assert.Equal($"Deleted Networks:\np1{_bed.Tag}\n", Run("network", "prune", "-f").Out);
    }
}
