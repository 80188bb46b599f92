using Skiff.Cli.Commands;

namespace Skiff.Engine.Tests.Terminal;

/// <summary>docker's --detach-keys syntax and the escape scanning of typed input.</summary>
public sealed class DetachKeysTests
{
    [Theory]
    [InlineData(null, new byte[] { 0x10, 0x11 })]
    [InlineData("ctrl-p,ctrl-q", new byte[] { 0x10, 0x11 })]
    [InlineData("ctrl-a,x", new byte[] { 0x01, (byte)'x' })]
    [InlineData("ctrl-@,ctrl-[,ctrl-\\,ctrl-],ctrl-^,ctrl-_", new byte[] { 0, 27, 28, 29, 30, 31 })]
    [InlineData("ctrl-Z", new byte[] { 26 })]
    public void Parses_dockers_syntax(string? spec, byte[] expected) => Assert.Equal(expected, DetachKeys.Parse(spec));

    [Theory]
    [InlineData("ctrl-1")]
    [InlineData("ctrl-pq")]
    [InlineData("ab")]
    public void Rejects_what_docker_rejects(string spec)
    {
        var e = Assert.Throws<EngineException>(() => DetachKeys.Parse(spec));
        Assert.StartsWith($"Invalid detach keys ({spec}) provided", e.Message);
    }

    [Fact]
    public void Held_back_bytes_go_on_when_the_sequence_breaks_off()
    {
        var s = new DetachScanner([0x10, 0x11]);
        var fwd = new List<byte>();
        Assert.False(s.Scan([(byte)'a', (byte)'b', 0x10], fwd));
        Assert.Equal([(byte)'a', (byte)'b'], fwd);
        Assert.False(s.Scan([(byte)'c'], fwd));               // ctrl-p then c: both go to the container
        Assert.Equal([0x10, (byte)'c'], fwd);
        Assert.False(s.Scan([0x10, 0x10], fwd));              // a second ctrl-p restarts the sequence
        Assert.Equal([0x10], fwd);
        Assert.True(s.Scan([0x11, (byte)'z', (byte)'z'], fwd)); // completed across two reads: detach, nothing forwarded
        Assert.Empty(fwd);
    }
}
