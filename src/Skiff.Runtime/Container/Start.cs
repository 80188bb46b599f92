using Skiff.Linux;
using Skiff.Runtime.Hooks;

namespace Skiff.Runtime.Container;

/// <summary>`start`: releases a created container's init through the exec fifo, then runs poststart hooks.</summary>
public static class Start
{
    public static void Run(StateStore store, string id)
    {
        var record = store.Load(id);
        var status = ContainerStatus.Of(record, store);
        if (status != Status.Created)
            throw new RuntimeException("start", $"cannot start a container that is {ContainerStatus.Name(status)} (it must be created)");
        var fifoPath = store.FifoPath(id);
        var fifo = Files.TryOpen(fifoPath, Files.O_WRONLY | Files.O_NONBLOCK, out int e);
        if (!fifo.IsValid)
        {
            if (e == Errno.ENXIO) throw new RuntimeException("start", "the container's init is gone (nobody waits on the exec fifo)");
            throw new LinuxException("open", fifoPath, e);
        }
        using (fifo) Files.WriteAll(fifo.Value, "0"u8, fifoPath);
        File.Delete(fifoPath);

        if (!record.HasPoststartHooks) return;
        var spec = store.LoadConfig(id);
        try { HookRunner.RunAll(spec.Hooks?.Poststart, "poststart", Create.StateJson(record, "running")); }
        catch (RuntimeException)
        {
            // runtime-spec: a failing poststart hook stops the container and the error is reported.
            Processes.Signal(record.Pid, Processes.SIGKILL);
            throw;
        }
    }
}
