using System.Text;
using Skiff.Build.Cache;
using Skiff.Build.Context;
using Skiff.Build.Syntax;
using Skiff.Runtime.Spec;

namespace Skiff.Build.Execution;

public sealed partial class StageExecutor
{
    /// <summary>RUN: the command runs in a container on the current snapshot with the stage's env (plus the ARGs in
    /// scope), user, working directory and shell. The cache key covers the state so far, the command, network, the
    /// mounts with their sources' digests and every ARG value in scope (they are in the command's environment).</summary>
    async Task<bool> Run(RunInstruction run, int id, CancellationToken ct)
    {
        var vars = Vars();
        var mounts = run.Mounts.Select(m => RunMountParser.Parse(m.Raw, v => _ex.ProcessWord(v, vars))).ToList();
        var network = run.Network is null ? "default" : _ex.ProcessWord(run.Network, vars);
        if (network is not ("default" or "none" or "host"))
            throw new BuildException($"RUN --network={network}: expected default, none or host");
        var (argv, scripts) = Command(run);
        var argEnv = _args.Where(a => a.Value is not null && _st.GetEnv(a.Key) is null)
            .OrderBy(a => a.Key, StringComparer.Ordinal).Select(a => $"{a.Key}={a.Value}").ToList();

        using var key = new CacheKey();
        key.Add("run", _st.Key).Add("argv", string.Join('\0', argv)).Add("network", network).Add("args", string.Join('\n', argEnv));
        foreach (var sc in scripts) key.Add("script", sc.Content);
        var prepared = new List<PreparedMount>();
        foreach (var m in mounts) prepared.Add(await PrepareMount(m, key, ct));
        var stepKey = key.Finish();

        var createdBy = "RUN " + (run.Command is ShellForm ? string.Join(' ', argv) : ConfigJson.StringArray(argv)) + " # buildkit";
        var env = _st.Env.Concat(argEnv).ToList();
        var user = _st.User;
        var cwd = CurrentDir;
        var tail = new Queue<string>();
        return LayerStep(stepKey, createdBy, root =>
        {
            var n = s.Workspace.Next();
            var specMounts = new List<Mount>();
            var secretEnv = new List<string>();
            foreach (var pm in prepared) pm.AddTo(specMounts, secretEnv, s.Workspace, n);
            var bundle = Path.Combine(s.Workspace.Dir, "bundles", n.ToString(System.Globalization.CultureInfo.InvariantCulture));
            foreach (var sc in scripts)
            {
                var f = Path.Combine(bundle + "-scripts", sc.Name);
                Directory.CreateDirectory(Path.GetDirectoryName(f)!);
                File.WriteAllText(f, sc.Content);
                File.SetUnixFileMode(f, (UnixFileMode)0x1ed);
                specMounts.Add(new Mount { Destination = RunHeredocPlan.ScriptDirectory + sc.Name, Type = "bind", Source = f, Options = ["rbind", "ro"] });
            }
            if (network == "host")
            {
                specMounts.Add(new Mount { Destination = "/etc/resolv.conf", Type = "bind", Source = "/etc/resolv.conf", Options = ["rbind", "ro"] });
                specMounts.Add(new Mount { Destination = "/etc/hosts", Type = "bind", Source = "/etc/hosts", Options = ["rbind", "ro"] });
            }
            UserDb.Identity idn;
            using (var w = new RootWriter(root))
            {
                idn = user is null ? new UserDb.Identity(0, 0, [], null) : UserDb.Resolve(root, user, "USER");
                if (!w.IsDir(cwd)) w.Mkdir(cwd, null, 0, 0);
            }
            var spec = new ContainerRunSpec
            {
                Id = s.Workspace.ContainerId(n),
                Rootfs = root,
                Args = argv,
                Env = WithHome(env.Concat(secretEnv).ToList(), idn),
                Cwd = cwd,
                Uid = idn.Uid,
                Gid = idn.Gid,
                AdditionalGids = idn.AdditionalGids,
                Mounts = specMounts,
                Network = network,
            };
            // every mount destination the runtime will create (its /proc, /dev, /sys too) is removed again afterwards
            using var stubs = new MountStubs(root, ContainerRun.MakeSpec(spec).Mounts!.Select(m => m.Destination!));
            int code = s.Runtime.Run(spec, bundle, line =>
            {
                s.Progress.Output(id, line);
                tail.Enqueue(line);
                if (tail.Count > 12) tail.Dequeue();
            }, ct);
            if (code != 0)
            {
                var sb = new StringBuilder($"process \"{string.Join(' ', argv)}\" did not complete successfully: exit code: {code}");
                if (tail.Count > 0) sb.Append("\n--- last output lines ---\n").AppendJoin('\n', tail);
                throw new BuildException(sb.ToString());
            }
        }, ct);
    }

    static List<string> WithHome(List<string> env, UserDb.Identity idn)
    {
        if (!env.Any(e => e.StartsWith("HOME=", StringComparison.Ordinal))) env.Add("HOME=" + (idn.Home ?? "/"));
        return env;
    }

    /// <summary>The argv of a RUN, from the parser's heredoc plan (<see cref="RunHeredocs.Plan"/>): a <c>#!</c> heredoc
    /// that is the whole command runs as the file it is mounted as; any other shell form runs with the stage's shell.</summary>
    (List<string> Argv, List<Heredoc> Scripts) Command(RunInstruction run)
    {
        var plan = run.Plan();
        List<string> argv = plan.Command switch
        {
            ExecForm ef => [.. ef.Arguments],
            ShellForm sf when plan.ScriptFile is not null => [sf.Command],
            ShellForm sf => [.. _st.EffectiveShell, sf.Command],
            _ => throw new BuildException("RUN: unknown command form"),
        };
        return (argv, plan.ScriptFile is null ? [] : [plan.ScriptFile]);
    }
}
