using Skiff.Linux;

namespace Skiff.Engine.Specs;

/// <summary>Finds the command in the container's rootfs before the runtime is asked to start it, the way the
/// runtime's init would (PATH search when the name has no slash; paths resolved inside the rootfs), so a missing
/// or non-executable command fails the start with docker's message and exit code (127 / 126) instead of surfacing
/// later as the container's exit status.</summary>
public static class ExecutableCheck
{
    public static void Check(string rootfs, string command, IReadOnlyList<string> env, string cwd)
    {
        using var root = Files.Open(rootfs, Files.O_PATH | Files.O_DIRECTORY | Files.O_CLOEXEC);
        if (command.Contains('/'))
        {
            var path = command.StartsWith('/') ? command : Path.Combine(cwd, command);
            switch (Probe(root.Value, path))
            {
                case 0: return;
                case Errno.ENOENT: throw new StartCheckException(127, $"exec: \"{command}\": stat {command}: no such file or directory");
                default: throw new StartCheckException(126, $"exec: \"{command}\": permission denied");
            }
        }
        var pathVar = env.LastOrDefault(e => e.StartsWith("PATH=", StringComparison.Ordinal))?[5..] ?? "";
        bool denied = false;
        foreach (var dir in pathVar.Split(':', StringSplitOptions.RemoveEmptyEntries))
        {
            var r = Probe(root.Value, Path.Combine(dir.StartsWith('/') ? dir : Path.Combine(cwd, dir), command));
            if (r == 0) return;
            if (r != Errno.ENOENT) denied = true;
        }
        if (denied) throw new StartCheckException(126, $"exec: \"{command}\": permission denied");
        throw new StartCheckException(127, $"exec: \"{command}\": executable file not found in $PATH");
    }

    /// <summary>0 when <paramref name="path"/> is an executable regular file in the root; ENOENT when absent; EACCES otherwise.</summary>
    static int Probe(int rootFd, string path)
    {
        var fd = Skiff.Linux.Resolve.TryInRoot(rootFd, path, Files.O_PATH, out int e);
        if (!fd.IsValid) return e is Errno.ENOENT or Errno.ENOTDIR or Errno.ELOOP ? Errno.ENOENT : Errno.EACCES;
        using (fd)
        {
            var st = Files.Fstat(fd.Value, path);
            if ((st.Mode & Files.S_IFMT) != Files.S_IFREG) return Errno.EACCES;
            return (st.Mode & 0x49) != 0 ? 0 : Errno.EACCES;
        }
    }
}

/// <summary>The command cannot run: <see cref="ExitCode"/> 127 (not found) or 126 (not executable).</summary>
public sealed class StartCheckException(int exitCode, string message) : Exception(message)
{
    public int ExitCode { get; } = exitCode;
}
