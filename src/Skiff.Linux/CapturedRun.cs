namespace Skiff.Linux;

/// <summary>
/// Runs a program to completion and collects its stdout and stderr — for the short one-shot tools the engine calls
/// (an OCI runtime's state/kill/delete, nft). Unlike System.Diagnostics.Process it starts no helper threads and no
/// SIGCHLD machinery: one posix_spawn, one pipe for stdout, an in-memory file for stderr (so neither stream can
/// block the other), one waitpid. stdin is /dev/null.
/// </summary>
public static class CapturedRun
{
    public readonly record struct Result(int ExitCode, string Stdout, string Stderr);

    public static Result Run(string path, IReadOnlyList<string> args)
    {
        var (outRead, outWrite) = Pipe.Create();
        using var errFile = Memfd.Create("stderr");
        using var devNull = Files.Open("/dev/null", Files.O_RDONLY);
        try
        {
            var argv = new List<string>(args.Count + 1) { Path.GetFileName(path) };
            argv.AddRange(args);
            int pid;
            using (outWrite)
                pid = Processes.Spawn(path, argv, Processes.CurrentEnvironment(), [(0, devNull.Value), (1, outWrite.Value), (2, errFile.Value)]);
            var stdout = Files.ReadToEnd(outRead.Value);
            Processes.Wait(pid, out int status);
            Files.Seek(errFile.Value, 0, 0);
            var stderr = Files.ReadToEnd(errFile.Value);
            return new Result(Processes.ExitCode(status), stdout, stderr);
        }
        finally { outRead.Dispose(); }
    }
}
