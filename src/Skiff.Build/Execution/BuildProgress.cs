namespace Skiff.Build.Execution;

/// <summary>What a build reports while it runs; the CLI draws it (plain lines or a live view).</summary>
public interface IBuildProgress
{
    /// <summary>Step <paramref name="id"/> (numbered from 1 in Dockerfile order over the stages that run) started.
    /// <paramref name="label"/> is "[stage k/n]", <paramref name="text"/> the instruction.</summary>
    void Started(int id, string label, string text);
    void Output(int id, string line);
    void Cached(int id);
    void Finished(int id, TimeSpan elapsed);
    void Failed(int id, TimeSpan elapsed, string error);
    void Message(string text);

    static readonly IBuildProgress None = new Silent();
    sealed class Silent : IBuildProgress
    {
        public void Started(int id, string label, string text) { }
        public void Output(int id, string line) { }
        public void Cached(int id) { }
        public void Finished(int id, TimeSpan elapsed) { }
        public void Failed(int id, TimeSpan elapsed, string error) { }
        public void Message(string text) { }
    }
}
