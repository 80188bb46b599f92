using Skiff.Engine.Volumes;
using Skiff.Linux;

namespace Skiff.Engine.Tests.Volumes;

public sealed class VolumeStoreTests : IDisposable
{
    readonly TempRoot _root = new("vol");
    readonly VolumeStore _store;
    readonly FakeUsage _usage = new();

    public VolumeStoreTests() => _store = new VolumeStore(_root.Path, _usage);
    public void Dispose() => _root.Dispose();

    /// <summary>The engine side of in-use checks, held as data so a test can say which container uses what.</summary>
    sealed class FakeUsage : IVolumeUsage
    {
        public Dictionary<string, List<string>> Users { get; } = [];
        public IReadOnlyList<string> ContainersUsing(string v) => Users.TryGetValue(v, out var l) ? l : [];
    }

    [Fact]
    public void Lifecycle_create_inspect_list_remove()
    {
        var v = _store.Create("parts-data", labels: new Dictionary<string, string> { ["tier"] = "db" });
        Assert.Equal("parts-data", v.Name);
        Assert.Equal("local", v.Driver);
        Assert.Equal("local", v.Scope);
        Assert.Equal(Path.Combine(_root.Path, "volumes", "parts-data", "_data"), v.Mountpoint);
        Assert.True(Directory.Exists(v.Mountpoint));
        Assert.True(File.Exists(Path.Combine(_root.Path, "volumes", "parts-data", "volume.json")));
        Assert.Equal("db", _store.Get("parts-data").Labels["tier"]);
        Assert.True(DateTimeOffset.TryParse(v.CreatedAt, out _));

        // Same name again returns the existing volume, as docker does.
        var again = _store.Create("parts-data");
        Assert.Equal(v.CreatedAt, again.CreatedAt);
        Assert.Equal("db", again.Labels["tier"]);

        File.WriteAllText(Path.Combine(v.Mountpoint, "f"), "hello");
        Assert.Equal(5, _store.Size("parts-data"));
        Assert.Equal(["parts-data"], _store.List().Select(x => x.Name));
        _store.Remove("parts-data");
        Assert.Empty(_store.List());
        Assert.False(Directory.Exists(Path.Combine(_root.Path, "volumes", "parts-data")));
        Assert.Throws<VolumeNotFoundException>(() => _store.Remove("parts-data"));
        _store.Remove("parts-data", force: true); // -f ignores a missing volume
    }

    [Fact]
    public void In_use_volume_is_refused_even_with_force()
    {
        _store.Create("parts-busy");
        _usage.Users["parts-busy"] = ["c0ffee"];
        var e = Assert.Throws<VolumeInUseException>(() => _store.Remove("parts-busy", force: true));
        Assert.Equal("remove parts-busy: volume is in use - [c0ffee]", e.Message);
        Assert.NotNull(_store.TryGet("parts-busy"));
        _usage.Users.Clear();
        _store.Remove("parts-busy");
    }

    [Theory]
    [InlineData("a")]
    [InlineData("-lead")]
    [InlineData("has/slash")]
    [InlineData("sp ace")]
    [InlineData(".hidden")]
    public void Invalid_names_are_refused(string name)
    {
        var e = Assert.Throws<VolumeException>(() => _store.Create(name));
        Assert.Contains("includes invalid characters for a local volume name", e.Message);
        Assert.Empty(Directory.Exists(_store.Root) ? Directory.GetDirectories(_store.Root) : []);
    }

    [Fact]
    public void Unknown_driver_gives_dockers_error()
    {
        var e = Assert.Throws<VolumeException>(() => _store.Create("parts-x", driver: "flocker"));
        Assert.Equal("error looking up volume plugin flocker: plugin \"flocker\" not found", e.Message);
        Assert.Null(_store.TryGet("parts-x"));
    }

    [Fact]
    public void Bad_options_are_refused_at_create()
    {
        Assert.Contains("invalid option: \"colour\"", Assert.Throws<VolumeException>(() =>
            _store.Create("parts-o", options: new Dictionary<string, string> { ["colour"] = "red" })).Message);
        Assert.Contains("quota", Assert.Throws<VolumeException>(() =>
            _store.Create("parts-o", options: new Dictionary<string, string> { ["size"] = "1G" })).Message);
        Assert.Contains("\"device\"", Assert.Throws<VolumeException>(() =>
            _store.Create("parts-o", options: new Dictionary<string, string> { ["type"] = "ext4" })).Message);
        Assert.Null(_store.TryGet("parts-o"));
    }

    [Fact]
    public void Anonymous_volumes_have_hex_names_and_are_pruned_by_default()
    {
        var anon = _store.Create(null);
        Assert.Matches("^[0-9a-f]{64}$", anon.Name);
        Assert.True(anon.IsAnonymous);
        _store.Create("parts-named");
        var used = _store.Create(null);
        _usage.Users[used.Name] = ["abc"];
        File.WriteAllBytes(Path.Combine(anon.Mountpoint, "blob"), new byte[1000]);

        var (removed, bytes) = _store.Prune(all: false);
        Assert.Equal([anon.Name], removed);
        Assert.Equal(1000, bytes);
        Assert.NotNull(_store.TryGet("parts-named"));
        Assert.NotNull(_store.TryGet(used.Name));

        (removed, _) = _store.Prune(all: true);
        Assert.Equal(["parts-named"], removed);
        Assert.NotNull(_store.TryGet(used.Name));
    }

    [Fact]
    public void Tmpfs_option_mounts_at_first_use_and_unmounts_on_remove()
    {
        var v = _store.Create("parts-tmp", options: new Dictionary<string, string> { ["type"] = "tmpfs", ["device"] = "tmpfs", ["o"] = "size=4m,uid=1000" });
        Assert.Equal(Files.FsType(_root.Path), Files.FsType(v.Mountpoint)); // not mounted yet
        var path = _store.Mount("parts-tmp");
        Assert.Equal(0x01021994L, Files.FsType(path)); // TMPFS_MAGIC
        Assert.Equal(1000u, Files.StatAt(Files.AT_FDCWD, path, 0).Uid);
        _store.Mount("parts-tmp"); // idempotent: not mounted twice
        Assert.Single(File.ReadAllLines("/proc/self/mountinfo"), l => l.Split(' ')[4] == path);
        _store.Remove("parts-tmp");
        Assert.DoesNotContain(File.ReadAllLines("/proc/self/mountinfo"), l => l.Split(' ')[4] == path);
    }

    [Fact]
    public void Bind_option_mounts_a_host_directory()
    {
        var host = _root.Sub("hostdir");
        File.WriteAllText(Path.Combine(host, "seen"), "yes");
        _store.Create("parts-bind", options: new Dictionary<string, string> { ["type"] = "none", ["o"] = "bind,ro", ["device"] = host });
        var path = _store.Mount("parts-bind");
        Assert.Equal("yes", File.ReadAllText(Path.Combine(path, "seen")));
        Assert.ThrowsAny<IOException>(() => File.WriteAllText(Path.Combine(path, "new"), "x")); // ro
        _store.Remove("parts-bind");
        Assert.True(File.Exists(Path.Combine(host, "seen"))); // removing the volume never touches the device
    }

    [Fact]
    public void Concurrent_creates_of_one_name_make_one_volume()
    {
        var results = new System.Collections.Concurrent.ConcurrentBag<string>();
        Parallel.For(0, 16, i => results.Add(new VolumeStore(_root.Path).Create("parts-race").CreatedAt));
        Assert.Single(results.Distinct());
        Assert.Single(_store.List());
    }
}
