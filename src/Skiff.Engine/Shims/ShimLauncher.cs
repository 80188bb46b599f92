using System.Text;
using System.Text.Json;
using Skiff.Linux;
using Skiff.Shim.Protocol;

namespace Skiff.Engine.Shims;

/// <summary>
/// Starts a skiff-shim for one container: writes <c>shim.json</c> next to the state file, runs
/// <c>skiff-shim --detached &lt;shim.json&gt;</c> in a new session with a pipe on fd 3 and waits for its one line: <c>ok &lt;containerPid&gt;</c>
/// (the container runs; the shim has detached) or <c>error &lt;message&gt;</c> (nothing is left behind).
/// </summary>
public static class ShimLauncher
{
    /// <summary>How long the shim may take to create and start the container.</summary>
    public static TimeSpan Timeout { get; set; } = TimeSpan.FromMinutes(2);

    public static ShimStarted Start(ShimConfig config, string shimBinary)
    {
        var dir = Path.GetDirectoryName(config.StatePath) ?? throw new ArgumentException("statePath has no directory", nameof(config));
        Directory.CreateDirectory(dir);
        foreach (var stale in new[] { config.StatePath, config.ExitPath }) File.Delete(stale);
        var configPath = ShimFiles.ConfigPath(config);
        File.WriteAllBytes(configPath, JsonSerializer.SerializeToUtf8Bytes(config, ShimJson.Default.ShimConfig));

        var (read, write) = Pipe.Create();
        using (read)
        {
            using var devNull = Files.Open("/dev/null", Files.O_RDWR);
            int pid;
            using (write)
            {
                try
                {
                    ShimChildren.ReapExited();
                    pid = Processes.Spawn(shimBinary, ["skiff-shim", "--detached", configPath], Processes.CurrentEnvironment(),
                        [(0, devNull.Value), (1, devNull.Value), (2, devNull.Value), (3, write.Value)], cwd: "/", newSession: true);
                }
                catch (LinuxException e) { throw new ShimStartException($"starting the shim {shimBinary}: {e.Message}"); }
            }
            string line = ReadLine(read.Value, out bool timedOut);
            // The shim is this process's child (one exec, not a relaunch): reaped here if it already failed, else
            // later (ShimChildren) or by init once this process exits.
            ShimChildren.Track(pid);
            ShimChildren.ReapExited();
            if (timedOut) throw new ShimStartException($"the shim did not report within {Timeout.TotalSeconds:0} s (container {config.Id})");
            if (line.StartsWith("ok ", StringComparison.Ordinal) && int.TryParse(line.AsSpan(3), out int containerPid))
            {
                var state = ShimFiles.ReadState(config.StatePath);
                return new ShimStarted(state?.ShimPid ?? 0, containerPid);
            }
            if (line.StartsWith("error ", StringComparison.Ordinal)) throw new ShimStartException(line[6..]);
            throw new ShimStartException(line.Length == 0 ? "the shim exited without reporting" : $"the shim said \"{line}\"");
        }
    }

    static string ReadLine(int fd, out bool timedOut)
    {
        var buf = new byte[4096];
        var all = new List<byte>();
        var deadline = Environment.TickCount64 + (long)Timeout.TotalMilliseconds;
        timedOut = false;
        while (true)
        {
            int wait = (int)Math.Max(0, deadline - Environment.TickCount64);
            if (!Poll.Readable(fd, wait)) { timedOut = true; break; }
            int n = Files.Read(fd, buf);
            if (n == 0) break;
            all.AddRange(buf.AsSpan(0, n));
            if (all.Contains((byte)'\n')) break;
        }
        var text = Encoding.UTF8.GetString(all.ToArray());
        int nl = text.IndexOf('\n');
        return (nl >= 0 ? text[..nl] : text).Trim();
    }

    /// <summary>The shim binary: env SKIFF_SHIM, else <c>skiff-shim</c> next to the running program, else PATH.</summary>
    public static string FindBinary()
    {
        if (Environment.GetEnvironmentVariable("SKIFF_SHIM") is { Length: > 0 } env) return env;
        var local = Path.Combine(AppContext.BaseDirectory, "skiff-shim");
        if (File.Exists(local)) return local;
        foreach (var d in (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':', StringSplitOptions.RemoveEmptyEntries))
        {
            var p = Path.Combine(d, "skiff-shim");
            if (File.Exists(p)) return p;
        }
        throw new ShimStartException("skiff-shim not found: set SKIFF_SHIM, or put it next to skiff or on PATH");
    }
}
