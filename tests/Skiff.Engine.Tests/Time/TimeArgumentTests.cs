using Skiff.Engine.Time;

namespace Skiff.Engine.Tests.Time;

public sealed class TimeArgumentTests
{
    static readonly DateTimeOffset Now = new(2026, 11, 29, 12, 0, 0, TimeSpan.Zero);

    [Theory]
    [InlineData("10m", 1795953600L - 600, 0)]
    [InlineData("1h30m", 1795953600L - 5400, 0)]
    [InlineData("1.5h", 1795953600L - 5400, 0)]
    [InlineData("300ms", 1795953599L, 700_000_000)]
    [InlineData("0", 0L, 0)]
    [InlineData("1700000000", 1700000000L, 0)]
    [InlineData("1700000000.25", 1700000000L, 250_000_000)]
    [InlineData("2023-11-14T22:13:20Z", 1700000000L, 0)]
    [InlineData("2023-11-14T22:13:20.123456789Z", 1700000000L, 123456789)]
    [InlineData("2023-11-15T00:13:20+02:00", 1700000000L, 0)]
    public void Parses_docker_forms(string value, long sec, int nanos)
    {
        Assert.Equal(new Timestamp(sec, nanos), TimeArgument.Parse(value, "--since", Now));
    }

    [Fact]
    public void A_date_without_zone_is_local_time()
    {
        var expect = Timestamp.FromDateTime(new DateTimeOffset(new DateTime(2024, 1, 2, 3, 4, 5, DateTimeKind.Local)));
        Assert.Equal(expect, TimeArgument.Parse("2024-01-02T03:04:05", "--since", Now));
    }

    [Theory]
    [InlineData("yesterday")]
    [InlineData("10 minutes")]
    [InlineData("12x")]
    public void Rejects_garbage(string value)
    {
        var e = Assert.Throws<ArgumentException>(() => TimeArgument.Parse(value, "--until", Now));
        Assert.Contains("--until", e.Message);
    }

    [Fact]
    public void Rfc3339Nano_round_trips_like_go()
    {
        var t = new Timestamp(1700000000, 120_000_000);
        Assert.Equal("2023-11-14T22:13:20.12Z", t.ToRfc3339Nano());
        Assert.Equal("2023-11-14T22:13:20.120000000Z", t.ToRfc3339NanoFixed());
        Assert.True(Timestamp.TryParseRfc3339(t.ToRfc3339Nano(), out var back));
        Assert.Equal(t, back);
    }
}
