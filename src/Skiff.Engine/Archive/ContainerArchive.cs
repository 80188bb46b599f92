using Skiff.Linux;

namespace Skiff.Engine.Archive;

/// <summary><c>skiff cp</c> with docker's path rules. SRC_PATH: a file or directory; a trailing "/." copies a
/// directory's contents rather than the directory; a symlink is copied as a link unless <c>-L</c> (or a trailing "/").
/// DEST_PATH: an existing directory receives the source under its own name (or its contents for "/."); an existing
/// file is overwritten by a file source and refuses a directory; a missing path is created (its parent must exist, and
/// a missing path ending in "/" needs a directory source). Every path on the container side is resolved with
/// openat2(RESOLVE_IN_ROOT) from the container's root and every write is an *at call on a held directory fd (see
/// <see cref="DirectorySink"/>), so symlinks in the container can neither redirect a read to a host file nor a write
/// onto one (CVE-2018-15664).</summary>
public static class ContainerArchive
{
    /// <summary>container → host directory tree. <paramref name="archive"/> keeps uid/gid (<c>-a</c>).</summary>
    public static IReadOnlyList<string> CopyOut(ContainerFs container, string srcPath, string hostDest, bool followLink, bool archive)
    {
        using var host = ContainerFs.Host();
        return Copy(container, srcPath, followLink, host, Path.GetFullPath(hostDest) + (EndsWithSlash(hostDest) ? "/" : ""),
            archive ? Ownership.KeepSource : Ownership.Caller);
    }

    /// <summary>host → container. Without <paramref name="archive"/> what is created belongs to root (uid 0, gid 0) as
    /// docker does; with it, the host's uid/gid are kept.</summary>
    public static IReadOnlyList<string> CopyIn(ContainerFs container, string hostSrc, string containerDest, bool followLink, bool archive)
    {
        using var host = ContainerFs.Host();
        var full = Path.GetFullPath(hostSrc) + (hostSrc.EndsWith("/.", StringComparison.Ordinal) ? "/." : EndsWithSlash(hostSrc) ? "/" : "");
        return Copy(host, full, followLink, container, containerDest, archive ? Ownership.KeepSource : Ownership.Fixed);
    }

    /// <summary>container → tar stream (<c>cp CONTAINER:SRC -</c>): entries named from the source's base name.</summary>
    public static void WriteTar(ContainerFs container, string srcPath, bool followLink, Stream output)
    {
        var sink = new TarSink(output);
        using var src = SourceObject.Open(container, srcPath, followLink);
        src.Emit(container, sink, src.ContentsOnly ? "" : src.BaseName, includeSelf: !src.ContentsOnly);
        sink.Finish();
    }

    /// <summary>tar stream → a directory in the container (<c>cp - CONTAINER:DEST</c>); DEST must be a directory.</summary>
    public static IReadOnlyList<string> ReadTar(ContainerFs container, Stream input, string containerDest, bool archive)
    {
        using var dest = OpenDirectory(container, containerDest, out _);
        var sink = new DirectorySink(dest.Value, $"{container.Display}:{containerDest}", archive ? Ownership.KeepSource : Ownership.Fixed);
        TarSource.Feed(input, sink);
        return sink.Skipped;
    }

    static IReadOnlyList<string> Copy(ContainerFs from, string srcPath, bool follow, ContainerFs to, string dstPath, Ownership own)
    {
        using var src = SourceObject.Open(from, srcPath, follow);
        string dstDisplay = Label(to, dstPath);
        var (rootFd, rel, owned, ro) = to.Locate(dstPath);
        using var _ = owned;
        if (ro) throw new CopyException($"{dstDisplay}: mounted volume is marked read-only");
        using var existing = Resolve.TryInRoot(rootFd, rel, Files.O_PATH, out int e);
        Fd sinkRoot;
        string top;
        bool includeSelf = true;
        if (existing.IsValid)
        {
            bool isDir = (Files.Fstat(existing.Value, dstDisplay).Mode & Files.S_IFMT) == Files.S_IFDIR;
            if (isDir)
            {
                sinkRoot = Resolve.InRoot(rootFd, rel, Files.O_RDONLY | Files.O_DIRECTORY, 0, dstDisplay);
                top = src.ContentsOnly ? "" : src.BaseName;
                includeSelf = !src.ContentsOnly;
            }
            else
            {
                if (src.IsDirectory) throw new CopyException($"cannot copy a directory to a file: {dstDisplay} is not a directory");
                if (EndsWithSlash(dstPath)) throw new CopyException($"{dstDisplay}: not a directory");
                sinkRoot = OpenParent(rootFd, rel, dstDisplay);
                top = LastName(rel);
            }
        }
        else
        {
            if (e != Errno.ENOENT) throw new LinuxException("openat2", dstDisplay, e);
            if (EndsWithSlash(dstPath) && !src.IsDirectory)
                throw new CopyException($"destination directory {dstDisplay} must exist");
            sinkRoot = OpenParent(rootFd, rel, dstDisplay);
            top = LastName(rel);
        }
        using (sinkRoot)
        {
            string parentDisplay = includeSelf && top.Length > 0 && !existing.IsValid ? Label(to, Path.GetDirectoryName(ContainerFs.Normalize(dstPath))!) : dstDisplay;
            var sink = new DirectorySink(sinkRoot.Value, existing.IsValid && top.Length == 0 ? dstDisplay : parentDisplay, own);
            src.Emit(from, sink, top, includeSelf);
            sink.Finish();
            return sink.Skipped;
        }
    }

    static Fd OpenParent(int rootFd, string rel, string display)
    {
        var parent = Path.GetDirectoryName(ContainerFs.Normalize(rel)) ?? "/";
        var fd = Resolve.TryInRoot(rootFd, parent, Files.O_RDONLY | Files.O_DIRECTORY, out int e);
        if (fd.IsValid) return fd;
        if (e is Errno.ENOENT or Errno.ENOTDIR) throw new CopyException($"destination directory of {display} does not exist");
        throw new LinuxException("openat2", display, e);
    }

    static Fd OpenDirectory(ContainerFs fs, string path, out string display)
    {
        display = Label(fs, path);
        var (rootFd, rel, owned, ro) = fs.Locate(path);
        using var _ = owned;
        if (ro) throw new CopyException($"{display}: mounted volume is marked read-only");
        var fd = Resolve.TryInRoot(rootFd, rel, Files.O_RDONLY | Files.O_DIRECTORY, out int e);
        if (fd.IsValid) return fd;
        if (e == Errno.ENOENT) throw new CopyException($"Could not find the file {path} in container {fs.Display}");
        if (e == Errno.ENOTDIR) throw new CopyException($"destination \"{display}\" must be a directory");
        throw new LinuxException("openat2", display, e);
    }

    static string LastName(string rel)
    {
        var n = ContainerFs.Normalize(rel);
        return n == "/" ? "" : n[(n.LastIndexOf('/') + 1)..];
    }

    static bool EndsWithSlash(string p) => p.EndsWith('/') || p.EndsWith("/.", StringComparison.Ordinal);

    internal static string Label(ContainerFs fs, string path) => fs.Display.Length == 0 ? path : $"{fs.Display}:{path}";

    /// <summary>The resolved source of a copy, held open.</summary>
    sealed class SourceObject : IDisposable
    {
        Fd _parent = Fd.None, _object = Fd.None, _owned = Fd.None;
        string _name = "", _path = "";
        public bool IsDirectory { get; private set; }
        public bool ContentsOnly { get; private set; }
        public string BaseName { get; private set; } = "";

        public static SourceObject Open(ContainerFs fs, string path, bool follow)
        {
            var s = new SourceObject { _path = path };
            try
            {
                s.ContentsOnly = path.EndsWith("/.", StringComparison.Ordinal) || ContainerFs.Normalize(path) == "/";
                bool mustBeDir = s.ContentsOnly || path.EndsWith('/');
                var (rootFd, rel, owned, _) = fs.Locate(path);
                s._owned = owned;
                var n = ContainerFs.Normalize(rel);
                string notFound = fs.Display.Length == 0 ? $"could not find the file {path} on the host"
                    : $"Could not find the file {path} in container {fs.Display}";
                if (n == "/")
                {
                    s._object = Resolve.InRoot(rootFd, "/", Files.O_RDONLY | Files.O_DIRECTORY);
                    s.IsDirectory = true;
                    s.BaseName = LastName(ContainerFs.Normalize(path));
                    return s;
                }
                s._name = n[(n.LastIndexOf('/') + 1)..];
                s.BaseName = LastName(ContainerFs.Normalize(path));
                s._parent = Resolve.TryInRoot(rootFd, Path.GetDirectoryName(n)!, Files.O_PATH | Files.O_DIRECTORY, out int e);
                if (!s._parent.IsValid)
                {
                    if (e is Errno.ENOENT or Errno.ENOTDIR) throw new CopyException(notFound);
                    throw new LinuxException("openat2", Label(fs, path), e);
                }
                if (!Files.TryStatAt(s._parent.Value, s._name, Files.AT_SYMLINK_NOFOLLOW, out var st, out e))
                {
                    if (e == Errno.ENOENT) throw new CopyException(notFound);
                    throw new LinuxException("lstat", Label(fs, path), e);
                }
                uint type = st.Mode & Files.S_IFMT;
                if (type == Files.S_IFLNK && (follow || mustBeDir))
                {
                    // Follow the link, but only inside the same root.
                    using var probe = Resolve.TryInRoot(rootFd, n, Files.O_PATH, out e);
                    if (!probe.IsValid) throw e == Errno.ENOENT ? new CopyException(notFound) : new LinuxException("openat2", Label(fs, path), e);
                    type = Files.Fstat(probe.Value).Mode & Files.S_IFMT;
                    s._object = type == Files.S_IFDIR
                        ? Resolve.InRoot(rootFd, n, Files.O_RDONLY | Files.O_DIRECTORY)
                        : Resolve.InRoot(rootFd, n, Files.O_RDONLY | Files.O_NONBLOCK);
                }
                s.IsDirectory = type == Files.S_IFDIR;
                if (mustBeDir && !s.IsDirectory) throw new CopyException($"{Label(fs, path)}: not a directory");
                if (s.ContentsOnly && !s._object.IsValid)
                    s._object = Files.OpenAt(s._parent.Value, s._name, Files.O_RDONLY | Files.O_DIRECTORY | Files.O_NOFOLLOW);
                return s;
            }
            catch
            {
                s.Dispose();
                throw;
            }
        }

        public void Emit(ContainerFs fs, IArchiveSink sink, string top, bool includeSelf)
        {
            var walker = new TreeSource(sink, fs.HasMounts ? fs.MountAt : null);
            string where = ContainerFs.Normalize(_path);
            if (_object.IsValid)
            {
                if (IsDirectory) walker.EmitDirectory(_object.Value, top, where, includeSelf);
                else walker.EmitFile(_object.Value, top, where);
            }
            else walker.Emit(_parent.Value, _name, top, where);
        }

        public void Dispose()
        {
            _parent.Dispose();
            _object.Dispose();
            _owned.Dispose();
        }
    }
}
