using System.Text;
using System.Text.Json;
using Skiff.Images.Content;
using Skiff.Images.Formats;
using Skiff.Images.Registry;

namespace Skiff.Images.Tests;

public class FormatTests
{
    [Theory]
    [InlineData("sha256:" + "0000000000000000000000000000000000000000000000000000000000000000", true)]
    [InlineData("sha256:" + "ABCD000000000000000000000000000000000000000000000000000000000000", false)]
    [InlineData("sha256:abc", false)]
    [InlineData("sha512:" + "00000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000", true)]
    [InlineData("md5:d41d8cd98f00b204e9800998ecf8427e", false)]
    [InlineData("nocolon", false)]
    public void Digest_parsing_checks_algorithm_and_length(string text, bool ok)
        => Assert.Equal(ok, Digest.TryParse(text, out _, out _));

    [Fact]
    public void Digest_of_known_content()
        => Assert.Equal("sha256:2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824", Digest.Sha256("hello"u8).ToString());

    static Descriptor D(string os, string arch, string? variant = null) => new()
    {
        MediaType = MediaTypes.OciManifest, Digest = Digest.Sha256(Encoding.UTF8.GetBytes(os + arch + variant)).ToString(), Size = 1,
        Platform = new Platform { Os = os, Architecture = arch, Variant = variant },
    };

    [Fact]
    public void Platform_selection_prefers_exact_then_compatible_variants()
    {
        var list = new[] { D("linux", "amd64"), D("linux", "arm", "v6"), D("linux", "arm", "v7"), D("linux", "arm64", "v8"), D("windows", "amd64") };
        Assert.Same(list[0], PlatformMatcher.Select(list, Platform.Parse("linux/amd64")));
        Assert.Same(list[2], PlatformMatcher.Select(list, Platform.Parse("linux/arm/v7")));
        Assert.Same(list[2], PlatformMatcher.Select(list, Platform.Parse("linux/arm/v8")));
        Assert.Same(list[3], PlatformMatcher.Select(list, Platform.Parse("linux/arm64")));
        Assert.Same(list[3], PlatformMatcher.Select(list, Platform.Parse("linux/aarch64")));
        Assert.Same(list[4], PlatformMatcher.Select(list, Platform.Parse("windows/amd64")));
        Assert.Null(PlatformMatcher.Select(list, Platform.Parse("linux/s390x")));
        Assert.Null(PlatformMatcher.Select([D("linux", "arm", "v7")], Platform.Parse("linux/arm/v6")));
    }

    [Fact]
    public void Host_platform_is_linux_and_known()
    {
        Assert.Equal("linux", Platform.Host.Os);
        Assert.NotEqual("unknown", Platform.Host.Architecture);
        Assert.Throws<FormatException>(() => Platform.Parse("linux"));
    }

    [Fact]
    public void Manifest_round_trips_with_annotations_and_detects_media_types()
    {
        var m = new Manifest
        {
            MediaType = MediaTypes.OciManifest,
            Config = new Descriptor { MediaType = MediaTypes.OciConfig, Digest = Digest.Sha256("c"u8).ToString(), Size = 1 },
            Layers = [new Descriptor { MediaType = MediaTypes.OciLayerGzip, Digest = Digest.Sha256("l"u8).ToString(), Size = 2, Annotations = new() { ["a"] = "b" } }],
            Annotations = new() { ["org.opencontainers.image.title"] = "t" },
        };
        var bytes = JsonSerializer.SerializeToUtf8Bytes(m, WireJson.Default.Manifest);
        var back = JsonSerializer.Deserialize(bytes, WireJson.Default.Manifest)!;
        Assert.Equal("b", back.Layers[0].Annotations!["a"]);
        Assert.Equal("t", back.Annotations!["org.opencontainers.image.title"]);
        Assert.Equal(MediaTypes.OciManifest, ManifestProbe.Detect(bytes, null));
        Assert.Equal(MediaTypes.DockerManifestList, ManifestProbe.Detect("{\"schemaVersion\":2,\"manifests\":[]}"u8, MediaTypes.DockerManifestList));
        Assert.Equal(MediaTypes.OciIndex, ManifestProbe.Detect("{\"schemaVersion\":2,\"manifests\":[]}"u8, "text/plain"));
        Assert.Throws<UnsupportedMediaTypeException>(() => ManifestProbe.Detect("{\"schemaVersion\":1,\"fsLayers\":[]}"u8, null));
        Assert.Equal("application/vnd.example+json", ManifestProbe.Detect("{\"schemaVersion\":2,\"mediaType\":\"application/vnd.example+json\"}"u8, null));
    }

    [Fact]
    public void Image_config_keeps_unknown_docker_fields()
    {
        var json = """{"architecture":"amd64","os":"linux","docker_version":"24.0","config":{"Cmd":["sh"],"Healthcheck":{"Test":["NONE"]}},"rootfs":{"type":"layers","diff_ids":[]}}""";
        var c = JsonSerializer.Deserialize(json, WireJson.Default.ImageConfig)!;
        Assert.Equal(["sh"], c.Config!.Cmd!);
        var again = Encoding.UTF8.GetString(JsonSerializer.SerializeToUtf8Bytes(c, WireJson.Default.ImageConfig));
        Assert.Contains("docker_version", again);
        Assert.Contains("Healthcheck", again);
    }

    [Fact]
    public void Layer_media_types_map_to_compression()
    {
        Assert.Equal(Compression.Gzip, MediaTypes.LayerCompression(MediaTypes.DockerLayerGzip));
        Assert.Equal(Compression.Gzip, MediaTypes.LayerCompression(MediaTypes.OciLayerGzip));
        Assert.Equal(Compression.Zstd, MediaTypes.LayerCompression(MediaTypes.OciLayerZstd));
        Assert.Equal(Compression.None, MediaTypes.LayerCompression(MediaTypes.OciLayer));
        Assert.Throws<UnsupportedMediaTypeException>(() => MediaTypes.LayerCompression("application/x-foo"));
    }

    [Fact]
    public void Auth_challenges_parse_with_quoted_commas()
    {
        var c = AuthChallenge.Parse("Bearer realm=\"https://auth.example/token\",service=\"registry.example\",scope=\"repository:a/b:pull,push\"")!;
        Assert.True(c.IsBearer);
        Assert.Equal("https://auth.example/token", c.Realm);
        Assert.Equal("registry.example", c.Service);
        Assert.Equal("repository:a/b:pull,push", c.Scope);
        Assert.True(AuthChallenge.Parse("Basic realm=\"x\"")!.IsBasic);
        Assert.Null(AuthChallenge.Parse(""));
    }

    [Fact]
    public void Docker_config_credentials_round_trip_and_logout_removes_them()
    {
        using var t = new TempDir();
        var path = Path.Combine(t.Path, "config.json");
        File.WriteAllText(path, """{"auths":{"https://index.docker.io/v1/":{"auth":"dTpw"}},"credsStore":"x"}""");
        var cfg = new DockerConfig(path);
        Assert.Equal(new Credentials("u", "p"), cfg.Get("docker.io"));
        cfg.Set("localhost:5001", new Credentials("skiff", "pa:ss"));
        Assert.Equal(new Credentials("skiff", "pa:ss"), new DockerConfig(path).Get("localhost:5001"));
        Assert.Contains("credsStore", File.ReadAllText(path));
        Assert.True(cfg.Remove("localhost:5001"));
        Assert.Null(cfg.Get("localhost:5001"));
        Assert.NotNull(cfg.Get("docker.io"));
    }
}
