using Skiff.Build.Cache;
using Skiff.Build.Context;
using Skiff.Build.Syntax;

namespace Skiff.Build.Execution;

public sealed partial class StageExecutor
{
    /// <summary>COPY and ADD. The key covers the state so far, the instruction after substitution and the
    /// content+metadata digest of exactly the files taken (context, heredocs, downloaded URLs); for --from it covers the
    /// other stage's/image's state key instead, so its files are only read on a miss.</summary>
    async Task<bool> Copy(FileCopyInstruction ins, string? from, bool isAdd, int id, CancellationToken ct)
    {
        var what = ins.Keyword;
        var destRaw = X(ins.Destination);
        bool trailing = destRaw.EndsWith('/') || destRaw is "." or ".." || destRaw.EndsWith("/.", StringComparison.Ordinal);
        var dest = RootWriter.Normalize(Absolute(destRaw));
        var chmod = FileCopy.ParseChmod(ins.Chmod is null ? null : X(ins.Chmod), what);
        var chown = ins.Chown is null ? null : X(ins.Chown);
        var excludes = ins.Excludes.Select(X).ToList();
        var sources = ins.Sources.Select(X).ToList();
        bool unpack = isAdd && (ins is not AddInstruction a || a.Unpack != false);

        using var key = new CacheKey();
        key.Add("copy", _st.Key).Add("kind", what).Add("dest", dest).Add("trailing", trailing ? "1" : "0")
           .Add("chown", chown).Add("chmod", chmod?.ToString(System.Globalization.CultureInfo.InvariantCulture))
           .Add("parents", ins.Parents ? "1" : "0").Add("exclude", string.Join('\0', excludes)).Add("sources", string.Join('\0', sources));

        var createdBy = ins.Original + " # buildkit";
        if (from is not null)
        {
            var other = await OtherState(from, ct);
            key.Add("from", other.Key);
            return LayerStep(key.Finish(), createdBy, root =>
            {
                var tree = new SourceTree(MountState(other), isContext: false, label: $"\"{from}\"");
                var matches = sources.SelectMany(src => SourceExpansion.Expand(tree, src, what)).Select(m => (tree, m)).ToList();
                var plan = CopyPlan.Make(matches, trailing, ins.Parents, excludes, what);
                Write(root, plan, [], dest, chown, chmod, what);
            }, ct);
        }

        var all = new List<(SourceTree, SourceMatch)>();
        var archives = new List<(SourceTree Tree, SourceMatch Match)>();
        int n = 0;
        foreach (var src in sources)
        {
            if (isAdd && (src.StartsWith("http://", StringComparison.OrdinalIgnoreCase) || src.StartsWith("https://", StringComparison.OrdinalIgnoreCase)))
            {
                var tree = await Download(src, ++n, ct);
                all.Add((tree, SourceExpansion.Expand(tree, Path.GetFileName(Directory.EnumerateFiles(tree.Root).First()), what)[0]));
                continue;
            }
            if (isAdd && src.StartsWith("git@", StringComparison.Ordinal))
                throw new BuildException($"ADD {src}: git sources are not supported");
            var ctx = s.RequireContext(what);
            foreach (var m in SourceExpansion.Expand(ctx, src, what))
            {
                if (unpack && m.Entry.IsRegular && LocalArchive.IsArchive(ctx.HostPath(m.Entry))) archives.Add((ctx, m));
                else all.Add((ctx, m));
            }
        }
        if (ins.Heredocs.Count > 0)
        {
            var dir = s.Workspace.TempDir($"heredoc-{id}-{Guid.NewGuid():n}");
            foreach (var h in ins.Heredocs)
            {
                var content = h.Expand ? Expander.ForHeredoc().ProcessWord(h.Content, Vars()) : h.Content;
                var f = Path.Combine(dir, h.Name);
                File.WriteAllText(f, content);
                File.SetUnixFileMode(f, (UnixFileMode)0x1a4);
            }
            var tree = new SourceTree(dir, isContext: true, label: "heredoc");
            foreach (var h in ins.Heredocs) all.Add((tree, SourceExpansion.Expand(tree, h.Name, what)[0]));
        }
        int total = all.Count + archives.Count;
        var copyPlan = CopyPlan.Make(all, trailing || total > 1, ins.Parents, excludes, what);
        if (total > 1 && !trailing)
            throw new BuildException($"{what}: when using {what} with more than one source file, the destination must be a directory and end with a /");
        var archivePlan = CopyPlan.Make(archives, true, false, [], what);
        key.Add("files", copyPlan.Digest((e, t) => (0, 0), chmod)).Add("archives", archivePlan.Digest((e, t) => (e.Stat.Uid, e.Stat.Gid), null));
        return LayerStep(key.Finish(), createdBy, root => Write(root, copyPlan, archives, dest, chown, chmod, what), ct);
    }

    static void Write(string root, CopyPlan plan, List<(SourceTree Tree, SourceMatch Match)> archives, string dest, string? chown, uint? chmod, string what)
    {
        using var w = new RootWriter(root);
        (uint, uint)? owner = null;
        if (chown is not null)
        {
            var idn = UserDb.Resolve(root, chown, $"{what} --chown", forChown: true);
            owner = (idn.Uid, idn.Gid);
        }
        if (plan.Items.Count > 0) FileCopy.Apply(w, plan, dest, owner, chmod);
        foreach (var (tree, m) in archives)
        {
            w.Mkdir(dest, null, owner?.Item1 ?? 0, owner?.Item2 ?? 0);
            LocalArchive.Extract(tree.HostPath(m.Entry), w.DirPath(dest));
        }
    }

    /// <summary>ADD URL: fetched into the workspace (mode 0600, mtime from Last-Modified) and hashed like a context
    /// file, so the step is cached by the content the server returned.</summary>
    async Task<SourceTree> Download(string url, int n, CancellationToken ct)
    {
        var dir = s.Workspace.TempDir($"url-{Guid.NewGuid():n}");
        var uri = new Uri(url);
        var name = Path.GetFileName(uri.AbsolutePath);
        if (string.IsNullOrEmpty(name)) name = "index.html";
        var file = Path.Combine(dir, name);
        using var http = new HttpClient { Timeout = TimeSpan.FromMinutes(10) };
        try
        {
            using var resp = await http.GetAsync(uri, HttpCompletionOption.ResponseHeadersRead, ct);
            if (!resp.IsSuccessStatusCode)
                throw new BuildException($"ADD {url}: the server answered {(int)resp.StatusCode} {resp.ReasonPhrase}");
            await using (var f = File.Create(file))
                await resp.Content.CopyToAsync(f, ct);
            File.SetUnixFileMode(file, (UnixFileMode)0x180);
            if (resp.Content.Headers.LastModified is { } lm) File.SetLastWriteTimeUtc(file, lm.UtcDateTime);
        }
        catch (HttpRequestException e) { throw new BuildException($"ADD {url}: {e.Message}", e); }
        return new SourceTree(dir, isContext: true, label: url);
    }
}
