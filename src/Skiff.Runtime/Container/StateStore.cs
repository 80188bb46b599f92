using System.Text.Json;
using Skiff.Linux;
using Skiff.Runtime.Init;
using Skiff.Runtime.Spec;

namespace Skiff.Runtime.Container;

/// <summary>The runtime's state directory: &lt;root&gt;/&lt;id&gt;/{state.json,config.json,exec.fifo}.</summary>
public sealed class StateStore(string root)
{
    public string Root { get; } = root;

    public string Dir(string id) => Path.Combine(Root, id);
    public string FifoPath(string id) => Path.Combine(Root, id, "exec.fifo");
    public string ConfigPath(string id) => Path.Combine(Root, id, "config.json");

    /// <summary>runc's rule: letters, digits, and _ + - . only; not "." or "..".</summary>
    public static void ValidateId(string id)
    {
        if (id.Length == 0) throw new RuntimeException("container id", "must not be empty");
        if (id is "." or ".." || id.Length > 1024)
            throw new RuntimeException("container id", $"invalid id \"{id}\"");
        foreach (char c in id)
            if (!(char.IsAsciiLetterOrDigit(c) || c is '_' or '+' or '-' or '.'))
                throw new RuntimeException("container id", $"invalid id \"{id}\": only letters, digits and _+-. are allowed");
    }

    /// <summary>Makes the container's directory atomically: a second create of the same id fails here.</summary>
    public void Reserve(string id)
    {
        Directory.CreateDirectory(Root);
        if (!Files.TryMkdirAt(Files.AT_FDCWD, Dir(id), 0x1c0 /* 0700 */, out int e))
        {
            if (e == Errno.EEXIST) throw new RuntimeException("create", $"container with id \"{id}\" already exists");
            throw new LinuxException("mkdir", Dir(id), e);
        }
    }

    public bool Exists(string id) => File.Exists(Path.Combine(Dir(id), "state.json"));

    public ContainerRecord Load(string id)
    {
        ValidateId(id);
        byte[] bytes;
        try { bytes = File.ReadAllBytes(Path.Combine(Dir(id), "state.json")); }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            throw new ContainerNotFoundException(id);
        }
        return RecordJson.ReadRecord(bytes, Path.Combine(Dir(id), "state.json"));
    }

    public RuntimeSpec LoadConfig(string id) => SpecLoader.Parse(File.ReadAllBytes(ConfigPath(id)), ConfigPath(id));

    public void Save(ContainerRecord record)
    {
        var path = Path.Combine(Dir(record.Id), "state.json");
        var tmp = path + ".tmp";
        File.WriteAllBytes(tmp, RecordJson.Write(record));
        File.Move(tmp, path, overwrite: true);
    }

    public void Remove(string id)
    {
        var dir = Dir(id);
        try { Directory.Delete(dir, recursive: true); }
        catch (DirectoryNotFoundException) { }
    }

    public IEnumerable<string> Ids()
    {
        if (!Directory.Exists(Root)) yield break;
        foreach (var d in Directory.EnumerateDirectories(Root))
            if (File.Exists(Path.Combine(d, "state.json"))) yield return Path.GetFileName(d);
    }
}

public sealed class ContainerNotFoundException(string id) : Exception($"container \"{id}\" does not exist")
{
    public string Id { get; } = id;
}
