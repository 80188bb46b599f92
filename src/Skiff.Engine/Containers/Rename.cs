namespace Skiff.Engine.Containers;

public sealed partial class ContainerService
{
    /// <summary>docker rename: the new name must be valid and free; the record and the name index change together
    /// under the names lock, and a "rename" event carries the old name.</summary>
    public ContainerRecord Rename(string nameOrId, string newName)
    {
        newName = newName.TrimStart('/');
        ContainerNames.Validate(newName);
        var id = Store.Resolve(nameOrId);
        using var lk = Store.Lock(id);
        var rec = Store.Load(id);
        var old = rec.PlainName;
        if (old == newName) throw EngineException.Invalid($"Renaming a container with the same name as its current name");
        using (Store.LockNames())
        {
            Store.ReserveName(newName, id);
            rec.Name = "/" + newName;
            try { Store.Save(rec); }
            catch
            {
                Store.ReleaseName(newName, id);
                throw;
            }
            Store.ReleaseName(old, id);
        }
        if (rec.Own.NetnsPath is not null) _engine.Networks.RenameEndpoints(rec.Id, newName);
        _engine.Events.Append("container", "rename", rec.Id,
            new Dictionary<string, string>(EventAttributes(rec)) { ["oldName"] = "/" + old });
        return rec;
    }
}
