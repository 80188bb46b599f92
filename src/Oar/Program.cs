using Oar.Cli;
using Oar.Commands;
using Skiff.Linux;
using Skiff.Runtime;
using Skiff.Runtime.Cgroups;
using Skiff.Runtime.Container;
using Skiff.Runtime.Init;
using Skiff.Runtime.Spec;

namespace Oar;

/// <summary>oar: a runc-compatible OCI runtime. Global flags come before the command, as with runc.</summary>
public static class Program
{
    public const string Version = "0.1.0";
    public const string SpecVersion = "1.2.1";

    static readonly HashSet<string> GlobalValueFlags = ["root", "log", "log-format", "rootless", "criu"];
    static readonly HashSet<string> GlobalBoolFlags = ["debug", "systemd-cgroup", "help", "h", "version", "v"];

    public static int Main(string[] argv)
    {
        // The C constructor has already entered the namespaces when _OAR_INIT is set: this is the container's init.
        if (Environment.GetEnvironmentVariable("_OAR_INIT") is { } initFd)
            return ContainerInit.Run(int.Parse(initFd));

        var log = new Log();
        try
        {
            int i = 0;
            var global = new Dictionary<string, string>();
            var flags = new HashSet<string>();
            for (; i < argv.Length && argv[i].StartsWith('-'); i++)
            {
                var name = argv[i].TrimStart('-');
                string? value = null;
                int eq = name.IndexOf('=');
                if (eq >= 0) { value = name[(eq + 1)..]; name = name[..eq]; }
                if (GlobalValueFlags.Contains(name))
                {
                    if (value is null)
                    {
                        if (i + 1 >= argv.Length) throw new UsageException($"flag --{name} needs a value");
                        value = argv[++i];
                    }
                    global[name] = value;
                }
                else if (GlobalBoolFlags.Contains(name)) { if (value is null or "true") flags.Add(name); }
                else throw new UsageException($"unknown global flag {argv[i]}");
            }
            log.File = global.GetValueOrDefault("log");
            log.Json = global.GetValueOrDefault("log-format") == "json";
            if (global.GetValueOrDefault("log-format") is { } lf && lf is not ("json" or "text"))
                throw new UsageException($"--log-format must be text or json, not \"{lf}\"");
            log.Debug = flags.Contains("debug");
            if (flags.Contains("version") || flags.Contains("v")) { PrintVersion(); return 0; }
            if (i >= argv.Length || flags.Contains("help") || flags.Contains("h")) { Help.Print(); return i >= argv.Length && !flags.Contains("help") && !flags.Contains("h") ? 1 : 0; }

            var ctx = new Context(new StateStore(global.GetValueOrDefault("root") ?? "/run/oar"), log,
                flags.Contains("systemd-cgroup"), global.GetValueOrDefault("rootless") ?? "auto");
            if (ctx.SystemdCgroup && !Directory.Exists("/run/systemd/system"))
                throw new RuntimeException("--systemd-cgroup", "the systemd cgroup driver was requested but systemd is not running on this host");
            var command = argv[i];
            return command switch
            {
                "create" => CreateCommand.Run(ctx, argv, i + 1),
                "start" => StartCommand.Run(ctx, argv, i + 1),
                "run" => RunCommand.Run(ctx, argv, i + 1),
                "state" => StateCommand.Run(ctx, argv, i + 1),
                "list" or "ls" => ListCommand.Run(ctx, argv, i + 1),
                "kill" => KillCommand.Run(ctx, argv, i + 1),
                "delete" or "rm" => DeleteCommand.Run(ctx, argv, i + 1),
                "features" => FeaturesCommand.Run(ctx, argv, i + 1),
                "spec" => SpecCommand.Run(ctx, argv, i + 1),
                "help" => Help.Print(0),
                "exec" => ExecCommand.Run(ctx, argv, i + 1),
                "pause" or "resume" or "ps" or "update" or "events" or "checkpoint" or "restore" =>
                    throw new RuntimeException(command, "not implemented in this version of oar yet"),
                _ => throw new UsageException($"unknown command \"{command}\" (see oar --help)"),
            };
        }
        catch (Exception e) when (e is UsageException or RuntimeException or SpecException or LinuxException or CgroupException
            or ContainerNotFoundException or InitFailedException or IOException or UnauthorizedAccessException)
        {
            log.Error(e.Message);
            return 1;
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            // Never die of an unhandled exception: engines read why a call failed only from the --log file.
            log.Error($"{e.GetType().Name}: {e.Message}");
            return 1;
        }
    }

    static void PrintVersion()
    {
        Console.Out.Write($"oar version {Version}\nspec: {SpecVersion}\n");
    }
}

/// <summary>What every command gets from the global flags.</summary>
public sealed record Context(StateStore Store, Log Log, bool SystemdCgroup, string Rootless);
