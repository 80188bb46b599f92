namespace Skiff.Cli;

/// <summary>The command line that runs this skiff again: the NativeAOT binary itself, or <c>dotnet skiff.dll</c> when
/// the CLI runs on the shared runtime (the tests do).</summary>
static class SelfCommand
{
    public static List<string> Program()
    {
        var exe = Environment.ProcessPath ?? throw new InvalidOperationException("the path of the skiff program is unknown");
        if (Path.GetFileNameWithoutExtension(exe) == "dotnet") return [exe, Path.Combine(AppContext.BaseDirectory, "skiff.dll")];
        return [exe];
    }

    /// <summary><c>skiff --root R --run-root RR [--snapshotter S] container cleanup --rm</c>: the exit command a shim
    /// runs (with the container's ID appended) when an --rm container has exited for good.</summary>
    public static List<string> Cleanup(Engine.EngineRoots roots, string? snapshotter)
    {
        var argv = Program();
        argv.AddRange(["--root", roots.DataRoot, "--run-root", roots.RunRoot]);
        if (!string.IsNullOrEmpty(snapshotter)) argv.AddRange(["--snapshotter", snapshotter]);
        argv.AddRange(["container", "cleanup", "--rm"]);
        return argv;
    }
}
