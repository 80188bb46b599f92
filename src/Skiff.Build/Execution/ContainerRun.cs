using System.Diagnostics;
using System.Text.Json;
using Skiff.Runtime.Spec;

namespace Skiff.Build.Execution;

/// <summary>What one RUN needs from the runtime: the command, its identity and environment, the root it runs in
/// (the mounted snapshot) and the extra mounts (cache, bind, tmpfs, secret, resolv.conf).</summary>
public sealed record ContainerRunSpec
{
    public required string Id { get; init; }
    public required string Rootfs { get; init; }
    public required IReadOnlyList<string> Args { get; init; }
    public required IReadOnlyList<string> Env { get; init; }
    public string Cwd { get; init; } = "/";
    public uint Uid { get; init; }
    public uint Gid { get; init; }
    public IReadOnlyList<uint> AdditionalGids { get; init; } = [];
    public List<Mount> Mounts { get; init; } = [];
    /// <summary>"host" shares the host's network; anything else gets a new network namespace with only loopback.</summary>
    public string Network { get; init; } = "default";
}

/// <summary>Runs one build container through `oar run` in the foreground: writes the OCI bundle (config.json from
/// <see cref="DefaultSpec"/> with docker's default capabilities), streams the output line by line, and on cancellation
/// kills and deletes the container so nothing is left in oar's state.</summary>
public sealed class ContainerRun(string runtime, string stateRoot)
{
    static readonly string[] DockerCaps = ["CAP_CHOWN", "CAP_DAC_OVERRIDE", "CAP_FSETID", "CAP_FOWNER", "CAP_MKNOD", "CAP_NET_RAW",
        "CAP_SETGID", "CAP_SETUID", "CAP_SETFCAP", "CAP_SETPCAP", "CAP_NET_BIND_SERVICE", "CAP_SYS_CHROOT", "CAP_KILL", "CAP_AUDIT_WRITE"];

    public string Runtime => runtime;
    public string StateRoot => stateRoot;

    public static RuntimeSpec MakeSpec(ContainerRunSpec s)
    {
        var spec = DefaultSpec.Create(rootless: false);
        var p = spec.Process!;
        p.Terminal = false;
        p.Args = [.. s.Args];
        p.Env = [.. s.Env];
        p.Cwd = s.Cwd;
        p.User = new User { Uid = s.Uid, Gid = s.Gid, AdditionalGids = s.AdditionalGids.Count > 0 ? [.. s.AdditionalGids] : null };
        p.Capabilities = new CapabilitySets { Bounding = [.. DockerCaps], Effective = [.. DockerCaps], Permitted = [.. DockerCaps] };
        p.NoNewPrivileges = false;
        p.Rlimits = null; // inherit the limits of the process that runs oar
        spec.Root = new Root { Path = s.Rootfs, Readonly = false };
        spec.Hostname = "skiff-build";
        if (s.Network == "host") spec.Linux!.Namespaces!.RemoveAll(n => n.Type == "network");
        spec.Mounts!.AddRange(s.Mounts);
        return spec;
    }

    /// <summary>Runs the container to its end. Returns the exit code; <paramref name="onLine"/> gets every output line.</summary>
    public int Run(ContainerRunSpec s, string bundleDir, Action<string> onLine, CancellationToken ct)
    {
        Directory.CreateDirectory(bundleDir);
        File.WriteAllBytes(Path.Combine(bundleDir, "config.json"), JsonSerializer.SerializeToUtf8Bytes(MakeSpec(s), SpecJson.Default.RuntimeSpec));
        var psi = new ProcessStartInfo(runtime)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        foreach (var a in new[] { "--root", stateRoot, "run", "--bundle", bundleDir, s.Id }) psi.ArgumentList.Add(a);
        ct.ThrowIfCancellationRequested();
        using var proc = System.Diagnostics.Process.Start(psi) ?? throw new BuildException($"cannot start {runtime}");
        proc.StandardInput.Close();
        var gate = new object();
        void Pump(StreamReader r)
        {
            string? line;
            while ((line = r.ReadLine()) is not null) lock (gate) onLine(line);
        }
        var t1 = Task.Run(() => Pump(proc.StandardOutput));
        var t2 = Task.Run(() => Pump(proc.StandardError));
        // on cancellation, kill until it is gone: the container may not exist yet when the first kill is sent
        while (!proc.WaitForExit(200))
            if (ct.IsCancellationRequested) Kill(s.Id);
        Task.WaitAll(t1, t2);
        if (ct.IsCancellationRequested) { Delete(s.Id); ct.ThrowIfCancellationRequested(); }
        return proc.ExitCode;
    }

    public void Kill(string id) => Oar("kill", id, "9");

    /// <summary>Removes the container's state whatever it is doing (used on cancellation and by the janitor).</summary>
    public void Delete(string id) => Oar("delete", "--force", id);

    void Oar(params string[] args)
    {
        var psi = new ProcessStartInfo(runtime) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        psi.ArgumentList.Add("--root");
        psi.ArgumentList.Add(stateRoot);
        foreach (var a in args) psi.ArgumentList.Add(a);
        try
        {
            using var p = System.Diagnostics.Process.Start(psi);
            p?.StandardOutput.ReadToEnd();
            p?.StandardError.ReadToEnd();
            p?.WaitForExit();
        }
        catch (System.ComponentModel.Win32Exception) { }
    }
}
