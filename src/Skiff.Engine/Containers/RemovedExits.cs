namespace Skiff.Engine.Containers;

public sealed partial class ContainerService
{
    /// <summary>How long the exit code of a removed container is kept for a <c>wait</c> that was already waiting on it.</summary>
    static readonly TimeSpan RemovedExitLifetime = TimeSpan.FromMinutes(5);

    string RemovedExitsDir => Path.Combine(Roots.RunRoot, "exits");

    /// <summary>Keeps a removed container's exit code under the run root for a while (podman keeps them 5 minutes too),
    /// so that a <c>wait</c> racing with an --rm removal still reports the real code. Old entries are dropped here.</summary>
    void KeepRemovedExit(ContainerRecord rec)
    {
        try
        {
            Directory.CreateDirectory(RemovedExitsDir);
            var cutoff = DateTime.UtcNow - RemovedExitLifetime;
            foreach (var f in Directory.EnumerateFiles(RemovedExitsDir))
                if (File.GetLastWriteTimeUtc(f) < cutoff) File.Delete(f);
            Images.Metadata.AtomicFile.Write(Path.Combine(RemovedExitsDir, rec.Id), System.Text.Encoding.ASCII.GetBytes(rec.State.ExitCode.ToString()));
        }
        catch (IOException) { }
        catch (UnauthorizedAccessException) { }
    }

    /// <summary>The exit code <see cref="KeepRemovedExit"/> kept for <paramref name="id"/>, if any.</summary>
    int? RemovedExit(string id)
    {
        try { return int.TryParse(File.ReadAllText(Path.Combine(RemovedExitsDir, id)), out var c) ? c : null; }
        catch (IOException) { return null; }
    }
}
