using Skiff.Engine.Events;
using Skiff.Engine.Time;

namespace Skiff.Engine.Tests.Events;

public sealed class EventLogTests : IDisposable
{
    readonly TempRoot _root = new("events");
    readonly EventLog _log;

    public EventLogTests() => _log = new EventLog(_root.Path);
    public void Dispose() => _root.Dispose();

    static Dictionary<string, string> A(params string[] kv)
    {
        var d = new Dictionary<string, string>();
        for (int i = 0; i < kv.Length; i += 2) d[kv[i]] = kv[i + 1];
        return d;
    }

    void Seed()
    {
        _log.Append(new EngineEvent("container", "create", "aaa111", A("image", "busybox", "name", "web", "tier", "front"), new Timestamp(100, 0)));
        _log.Append(new EngineEvent("container", "start", "aaa111", A("image", "busybox", "name", "web"), new Timestamp(101, 0)));
        _log.Append(new EngineEvent("volume", "create", "parts-vol", A("driver", "local"), new Timestamp(102, 0)));
        _log.Append(new EngineEvent("container", "exec_create: sh -c true", "bbb222", A("image", "alpine", "name", "db", "execID", "e1"), new Timestamp(103, 0)));
        _log.Append(new EngineEvent("network", "connect", "net1", A("name", "parts-net", "container", "aaa111"), new Timestamp(104, 0)));
        _log.Append(new EngineEvent("container", "die", "aaa111", A("image", "busybox", "name", "web", "exitCode", "0"), new Timestamp(105, 0)));
    }

    List<EngineEvent> Read(long since, long until, params string[] filters)
    {
        var got = new List<EngineEvent>();
        _log.Read(new Timestamp(since, 0), new Timestamp(until, 0), EventFilter.Parse(filters), follow: false, got.Add);
        return got;
    }

    [Fact]
    public void Writes_dockers_event_json()
    {
        _log.Append(new EngineEvent("container", "start", "abc", A("name", "x", "image", "busybox"), new Timestamp(1700000000, 5)));
        var line = File.ReadAllLines(_log.Path).Single();
        Assert.Equal("{\"status\":\"start\",\"id\":\"abc\",\"from\":\"busybox\",\"Type\":\"container\",\"Action\":\"start\","
                     + "\"Actor\":{\"ID\":\"abc\",\"Attributes\":{\"image\":\"busybox\",\"name\":\"x\"}},\"scope\":\"local\","
                     + "\"time\":1700000000,\"timeNano\":1700000000000000005}", line);
    }

    [Fact]
    public void Since_and_until_are_inclusive_windows()
    {
        Seed();
        Assert.Equal(6, Read(0, long.MaxValue / 2_000_000_000).Count);
        Assert.Equal(["start", "create", "exec_create: sh -c true"], Read(101, 103).Select(e => e.Action));
    }

    [Fact]
    public void Filters_or_within_a_key_and_within_keys()
    {
        Seed();
        Assert.Equal(["volume"], Read(0, 1000, "type=volume").Select(e => e.Type));
        Assert.Equal(4, Read(0, 1000, "type=container").Count);
        Assert.Equal(["create", "die"], Read(0, 1000, "type=container", "event=create", "event=die").Select(e => e.Action));
        Assert.Single(Read(0, 1000, "event=exec_create"));
        Assert.Equal(3, Read(0, 1000, "container=web").Count);
        Assert.Equal(4, Read(0, 1000, "container=aaa").Count); // 3 own events + the network connect naming its id
        Assert.Single(Read(0, 1000, "image=alpine"));
        Assert.Single(Read(0, 1000, "label=tier=front"));
        Assert.Equal(2, Read(0, 1000, "label=exitCode", "label=execID").Count);
        Assert.Single(Read(0, 1000, "network=parts-net"));
        Assert.Single(Read(0, 1000, "volume=parts-vol"));
        Assert.Throws<ArgumentException>(() => EventFilter.Parse(["colour=red"]));
        Assert.Throws<ArgumentException>(() => EventFilter.Parse(["type"]));
    }

    [Fact]
    public void Rotates_at_the_size_cap_and_still_reads_both_files()
    {
        var small = new EventLog(_root.Path) { MaxBytes = 600 };
        for (int i = 0; i < 12; i++) small.Append(new EngineEvent("volume", "create", $"v{i}", A(), new Timestamp(200 + i, 0)));
        Assert.True(File.Exists(small.RotatedPath));
        Assert.True(new FileInfo(small.Path).Length < 600 || !File.Exists(small.Path));
        var got = new List<EngineEvent>();
        small.Read(Timestamp.MinValue, Timestamp.MaxValue, EventFilter.Parse([]), false, got.Add);
        Assert.True(got.Count is > 2 and < 12);
        Assert.Equal("v11", got[^1].ActorId);
        Assert.Equal(got.OrderBy(e => e.Time).Select(e => e.ActorId), got.Select(e => e.ActorId));
    }

    [Fact]
    public void Follow_sees_events_appended_by_another_writer()
    {
        Seed();
        var got = new List<string>();
        using var cts = new CancellationTokenSource();
        var seen = new ManualResetEventSlim();
        var since = Timestamp.Now;
        var t = new Thread(() => new EventLog(_root.Path).Read(since, Timestamp.MaxValue, EventFilter.Parse(["type=container"]), true,
            e => { lock (got) got.Add(e.Action); if (e.Action == "destroy") seen.Set(); }, cts.Token, TimeSpan.FromMilliseconds(20)));
        t.Start();
        _log.Append("volume", "destroy", "v");
        _log.Append("container", "destroy", "c", A("name", "x"));
        Assert.True(seen.Wait(TimeSpan.FromSeconds(30)));
        cts.Cancel();
        Assert.True(t.Join(TimeSpan.FromSeconds(30)));
        Assert.Equal(["destroy"], got); // the seeded past events are before since; the volume one is filtered
    }

    [Fact]
    public void Parallel_appenders_never_tear_lines()
    {
        Parallel.For(0, 200, i => new EventLog(_root.Path).Append("container", "start", $"id{i}", A("name", new string('n', 300))));
        var lines = File.ReadAllLines(_log.Path);
        Assert.Equal(200, lines.Length);
        Assert.All(lines, l => Assert.True(EngineEvent.TryParse(System.Text.Encoding.UTF8.GetBytes(l), out _)));
    }
}
