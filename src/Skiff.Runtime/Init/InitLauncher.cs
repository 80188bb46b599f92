using Skiff.Linux;
using Skiff.Runtime.Cgroups;
using Skiff.Runtime.Spec;

namespace Skiff.Runtime.Init;

/// <summary>
/// Starts `oar init` from a sealed memfd copy of the oar binary (CVE-2019-5736: the container can only ever
/// reach the copy), puts it in the cgroup before it enters any namespace, sends the bootstrap, answers the C
/// constructor (id maps) and returns the final child's pid with the sync socket for the managed protocol.
/// Child fds: 0-2 stdio, 3.. the preserved fds, then the sync socket, then <c>extraFds</c> in order.
/// </summary>
public static class InitLauncher
{
    public sealed class Launched(int pid, SyncSocket sync, int firstExtraFd) : IDisposable
    {
        public int Pid { get; } = pid;
        public SyncSocket Sync { get; } = sync;
        /// <summary>The fd number (in the child) of the first extra fd; the others follow.</summary>
        public int FirstExtraFd { get; } = firstExtraFd;
        public void Dispose() => Sync.Dispose();
    }

    /// <param name="whileChildStarts">Work done after the child is spawned and before it is released (it loads and
    /// blocks on the bootstrap meanwhile, on the other core): returns the cgroup to put it in.</param>
    public static Launched Launch(string oarBinary, Bootstrap bootstrap, IReadOnlyList<int> extraFds, int preserveFds,
        Func<ICgroupManager?> whileChildStarts, Spec.Linux? linux, bool subreaper)
    {
        var (parentSock, childSock) = Sockets.Pair();
        var sync = new SyncSocket(parentSock);
        try
        {
            using var exe = Memfd.SealedCopy(oarBinary, "oar");
            if (subreaper) Processes.Prctl(Processes.PR_SET_CHILD_SUBREAPER, 1);
            int syncFd = 3 + preserveFds;
            var fds = new List<(int, int)> { (0, 0), (1, 1), (2, 2) };
            for (int i = 0; i < preserveFds; i++) fds.Add((3 + i, 3 + i));
            fds.Add((syncFd, childSock.Value));
            for (int i = 0; i < extraFds.Count; i++) fds.Add((syncFd + 1 + i, extraFds[i]));
            int stage1;
            using (childSock)
                stage1 = Processes.Spawn($"/proc/self/fd/{exe.Value}", ["oar", "init"], [$"_OAR_INIT={syncFd}"], fds);
            int pid;
            try
            {
                whileChildStarts()?.Apply(stage1);
                sync.SendRaw(bootstrap.Encode());
                pid = AwaitInitPid(sync, linux);
            }
            catch
            {
                Processes.Signal(stage1, Processes.SIGKILL);
                throw;
            }
            finally { Processes.Wait(stage1, out _); }
            return new Launched(pid, sync, syncFd + 1);
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
