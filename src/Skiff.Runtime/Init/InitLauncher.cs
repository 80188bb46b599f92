using Skiff.Linux;
using Skiff.Runtime.Cgroups;
using Skiff.Runtime.Spec;

namespace Skiff.Runtime.Init;

/// <summary>
/// Starts `oar init` from a read-only handle on the oar binary (<see cref="SealedExe"/>, CVE-2019-5736: the container
/// can never reach a writable path to it). Two steps so that the exec of the new image overlaps the caller's own
/// work: <see cref="Spawn"/> first, as early as possible — the C constructor loads and then blocks on the bootstrap —
/// then <see cref="Pending.Enter"/> once the config is read: it puts the process in the cgroup before it enters any
/// namespace, sends the bootstrap, answers the constructor (id maps) and returns the final child's pid with the sync
/// socket for the managed protocol. Child fds: 0-2 stdio, 3.. the preserved fds, then the sync socket; other fds
/// (exec fifo, console socket) are passed later over the socket (<see cref="Launched.Pass"/>).
/// </summary>
public static class InitLauncher
{
    public sealed class Launched(int pid, SyncSocket sync) : IDisposable
    {
        public int Pid { get; } = pid;
        public SyncSocket Sync { get; } = sync;

        /// <summary>Hands <paramref name="fd"/> to the init for <paramref name="role"/> (see <see cref="SyncSocket.PassedFd"/>).</summary>
        public void Pass(byte role, int fd) => Sockets.SendFd(Sync.Value, fd, [SyncSocket.PassedFd, role]);

        public void Dispose() => Sync.Dispose();
    }

    /// <summary>An `oar init` that has been spawned and waits, in its C constructor, for the bootstrap.</summary>
    public sealed class Pending : IDisposable
    {
        readonly int stage1;
        readonly SyncSocket sync;
        bool done;

        internal Pending(int stage1, SyncSocket sync) { this.stage1 = stage1; this.sync = sync; }

        /// <summary>Puts the waiting process in <paramref name="cgroup"/>, lets it enter the namespaces and returns the
        /// final child (the container's init, or the exec'd process). On failure nothing is left running.</summary>
        public Launched Enter(Bootstrap bootstrap, ICgroupManager? cgroup, Spec.Linux? linux)
        {
            if (done) throw new InvalidOperationException("init already entered");
            done = true;
            try
            {
                int pid;
                try
                {
                    cgroup?.Apply(stage1);
                    sync.SendRaw(bootstrap.Encode());
                    pid = AwaitInitPid(sync, linux);
                }
                catch
                {
                    Processes.Signal(stage1, Processes.SIGKILL);
                    throw;
                }
                finally { Processes.Wait(stage1, out _); }
                return new Launched(pid, sync);
            }
            catch { sync.Dispose(); throw; }
        }

        /// <summary>Not entered (the caller failed first): the waiting process is ended and reaped.</summary>
        public void Dispose()
        {
            if (done) return;
            done = true;
            Processes.Signal(stage1, Processes.SIGKILL);
            Processes.Wait(stage1, out _);
            sync.Dispose();
        }
    }

    /// <param name="subreaper">Make the caller the reaper of the container's init (it waits for it itself).</param>
    public static Pending Spawn(string oarBinary, int preserveFds, bool subreaper)
    {
        var (parentSock, childSock) = Sockets.Pair();
        var sync = new SyncSocket(parentSock);
        try
        {
            using var exe = SealedExe.Open(oarBinary, "oar");
            if (subreaper) Processes.Prctl(Processes.PR_SET_CHILD_SUBREAPER, 1);
            int syncFd = 3 + preserveFds;
            var fds = new List<(int, int)> { (0, 0), (1, 1), (2, 2) };
            for (int i = 0; i < preserveFds; i++) fds.Add((3 + i, 3 + i));
            fds.Add((syncFd, childSock.Value));
            using (childSock)
                return new Pending(Processes.Spawn($"/proc/self/fd/{exe.Value}", ["oar", "init"], [$"_OAR_INIT={syncFd}"], fds), sync);
        }
        catch { sync.Dispose(); throw; }
    }

    /// <summary>Answers the C constructor until it reports the final child's pid.</summary>
    static int AwaitInitPid(SyncSocket sync, Spec.Linux? linux)
    {
        while (true)
        {
            var (type, value, text) = sync.ReceiveNative();
            switch (type)
            {
                case SyncSocket.UsermapRequest:
                    try { IdMaps.Write(value, linux!); }
                    catch { sync.SendNative(SyncSocket.UsermapAck, 1); throw; }
                    sync.SendNative(SyncSocket.UsermapAck, 0);
                    break;
                case SyncSocket.ChildPid:
                    return value;
                case SyncSocket.NativeError:
                    throw new RuntimeException(text.Replace("nsenter: ", ""), $"{Errno.Name(value)} ({Errno.Describe(value)})");
                default:
                    throw new RuntimeException("init", "oar init exited before entering the namespaces");
            }
        }
    }
}
