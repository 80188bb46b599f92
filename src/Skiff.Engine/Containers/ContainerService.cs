namespace Skiff.Engine.Containers;

/// <summary>Container operations (docker's verbs), one file per operation (Create.cs, Start.cs, Stop.cs, …). Every
/// operation takes the container's lock, brings its state up to date first (<see cref="Refresh"/>), and on failure
/// undoes what it made.</summary>
public sealed partial class ContainerService
{
    readonly Engine _engine;

    internal ContainerService(Engine engine)
    {
        _engine = engine;
        Store = new ContainerStore(engine.Roots);
        Volumes = new ContainerVolumes(engine.Volumes);
    }

    public ContainerStore Store { get; }
    EngineRoots Roots => _engine.Roots;
    internal ContainerVolumes Volumes { get; }

    /// <summary>A container by name, full ID or unique ID prefix, its state brought up to date.</summary>
    public ContainerRecord Get(string nameOrId) => Inspect(Store.Resolve(nameOrId));

    ContainerRecord Inspect(string id) => Refresh(Store.Load(id), locked: false);

    /// <summary>All containers (state brought up to date), newest first.</summary>
    public List<ContainerRecord> List()
    {
        var l = new List<ContainerRecord>();
        foreach (var r in Store.List())
        {
            var fresh = Refresh(r, locked: false);
            if (Store.TryLoad(r.Id) is not null) l.Add(fresh);
        }
        l.Sort((a, b) => string.CompareOrdinal(b.Created, a.Created));
        return l;
    }
}
