using Skiff.Images.References;

namespace Skiff.Images.Tests;

public class ReferenceTests
{
    [Theory]
    [InlineData("busybox", "docker.io/library/busybox:latest", "busybox:latest")]
    [InlineData("busybox:1.36", "docker.io/library/busybox:1.36", "busybox:1.36")]
    [InlineData("library/busybox", "docker.io/library/busybox:latest", "busybox:latest")]
    [InlineData("docker.io/busybox", "docker.io/library/busybox:latest", "busybox:latest")]
    [InlineData("index.docker.io/library/busybox", "docker.io/library/busybox:latest", "busybox:latest")]
    [InlineData("user/app:v1", "docker.io/user/app:v1", "user/app:v1")]
    [InlineData("localhost/app", "localhost/app:latest", "localhost/app:latest")]
    [InlineData("localhost:5000/a/b/c:t", "localhost:5000/a/b/c:t", "localhost:5000/a/b/c:t")]
    [InlineData("127.0.0.1:5000/x", "127.0.0.1:5000/x:latest", "127.0.0.1:5000/x:latest")]
    [InlineData("registry.example.com/x_y__z-w.v", "registry.example.com/x_y__z-w.v:latest", "registry.example.com/x_y__z-w.v:latest")]
    [InlineData("[::1]:5000/x:t", "[::1]:5000/x:t", "[::1]:5000/x:t")]
    [InlineData("Upper.com/x", "Upper.com/x:latest", "Upper.com/x:latest")]
    public void Normalises_like_docker(string input, string full, string familiar)
    {
        var r = Reference.Parse(input);
        Assert.Equal(full, r.ToString());
        Assert.Equal(familiar, r.Familiar);
    }

    [Fact]
    public void Digest_references_keep_the_digest_and_no_default_tag()
    {
        var d = "sha256:" + new string('a', 64);
        var r = Reference.Parse("localhost:5000/x@" + d);
        Assert.Null(r.Tag);
        Assert.Equal(d, r.Digest);
        Assert.Equal(d, r.Object);
        var both = Reference.Parse("x:1@" + d);
        Assert.Equal("1", both.Tag);
        Assert.Equal(d, both.Object);
        Assert.Equal("docker.io/library/x:1@" + d, both.ToString());
    }

    [Theory]
    [InlineData("", "empty")]
    [InlineData("UPPER", "lowercase")]
    [InlineData("a/B", "lowercase")]
    [InlineData("x:", "tag")]
    [InlineData("x:-bad", "tag")]
    [InlineData("x@sha256:abc", "digest")]
    [InlineData("x@md5:" + "0123456789abcdef0123456789abcdef", "digest")]
    [InlineData("a//b", "component")]
    [InlineData("a/-b", "component")]
    [InlineData("a/b.", "component")]
    [InlineData("a/b---c_", "component")]
    [InlineData("host:port/x", "registry")]
    [InlineData(":tag", "repository")]
    public void Rejects_invalid_references_with_a_reason(string input, string reasonPart)
    {
        var e = Assert.Throws<InvalidReferenceException>(() => Reference.Parse(input));
        Assert.Contains(reasonPart, e.Message, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("invalid reference format", e.Message);
    }

    [Fact]
    public void Rejects_overlong_names_and_tags()
    {
        Assert.Throws<InvalidReferenceException>(() => Reference.Parse("x/" + new string('a', 260)));
        Assert.Throws<InvalidReferenceException>(() => Reference.Parse("x:" + new string('a', 129)));
        Assert.Equal(128, Reference.Parse("x:" + new string('a', 128)).Tag!.Length);
    }
}
