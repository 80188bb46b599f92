using System.Net.Sockets;

namespace Skiff.Images.Tests.Services;

/// <summary>The three loopback registries of tests/setup/registry.sh (started here if they are not up) and the token
/// issuer the :5002 one trusts. Shared by every test in the "registry" collection.</summary>
public sealed class RegistryFixture : IDisposable
{
    public const string Open = "127.0.0.1:5000", Basic = "127.0.0.1:5001", Token = "127.0.0.1:5002", Tls = "127.0.0.1:5004";
    public static readonly string StateDir = Environment.GetEnvironmentVariable("SKIFF_REGISTRY_DIR") ?? "/tmp/skiff-registry";
    public TokenIssuer Issuer { get; }

    public RegistryFixture()
    {
        if (!Listening(5000) || !Listening(5001) || !Listening(5002) || !Listening(5004))
        {
            var script = Path.Combine(RepoRoot(), "tests", "setup", "registry.sh");
            try { TarTests.Run("/bin/sh", $"{script} start"); }
            catch (Exception e) { throw new InvalidOperationException($"registries are not running and could not be started ({e.Message}); run: tests/setup/registry.sh start", e); }
        }
        Issuer = new TokenIssuer(StateDir);
    }

    static bool Listening(int port)
    {
        try { using var c = new TcpClient(); c.Connect("127.0.0.1", port); return true; }
        catch (SocketException) { return false; }
    }

    public static string RepoRoot()
    {
        var d = AppContext.BaseDirectory;
        while (d is not null && !File.Exists(Path.Combine(d, "Skiff.slnx"))) d = Path.GetDirectoryName(d);
        return d ?? throw new InvalidOperationException("cannot find the repository root (Skiff.slnx)");
    }

    public void Dispose() => Issuer.Dispose();
}

[CollectionDefinition("registry")]
public sealed class RegistryCollection : ICollectionFixture<RegistryFixture>;
