using System.Net.Sockets;
using System.Text;
using Skiff.Linux;
using Skiff.Runtime.Seccomp;
using Xunit;
using static Skiff.Runtime.Tests.Seccomp.Profiles;

namespace Skiff.Runtime.Tests.Seccomp;

/// <summary>SCMP_ACT_NOTIFY end to end: the listener reaches an agent on listenerPath, which answers the syscall.</summary>
public class NotifyTests
{
    [Fact]
    public async Task AgentReceivesTheListenerWithTheStateAndAnswersTheSyscall()
    {
        var dir = Path.Combine(Path.GetTempPath(), $"skiff-notify-{Guid.NewGuid():N}");
        Directory.CreateDirectory(dir);
        var socketPath = Path.Combine(dir, "agent.sock");
        try
        {
            using var server = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
            server.Bind(new UnixDomainSocketEndPoint(socketPath));
            server.Listen(1);

            var spec = Profile("SCMP_ACT_ALLOW", Rule("SCMP_ACT_NOTIFY", ["mkdir", "mkdirat"]));
            spec.ListenerPath = socketPath;
            var program = SeccompCompiler.Compile(spec);
            Assert.True(program.HasNotify);

            var agent = Task.Run(() =>
            {
                using var connection = server.Accept();
                var payload = new byte[4096];
                int n = Sockets.ReceiveFd((int)connection.Handle, payload, out var listener);
                using (listener)
                {
                    Assert.True(listener.IsValid, "no fd came with the state");
                    var state = Encoding.UTF8.GetString(payload, 0, n);
                    var notification = Linux.Seccomp.Receive(listener.Value);
                    Linux.Seccomp.Respond(listener.Value, notification.Id, 0, 18 /* EXDEV */);
                    return (state, notification.Nr);
                }
            });

            var target = Path.Combine(dir, "made-by-probe");
            var result = Probe.RunWith(program, socketPath, Probe.Busybox, "mkdir", target);
            var (json, nr) = await agent.WaitAsync(TimeSpan.FromSeconds(30));

            Assert.Contains("\"fds\":[\"seccompFd\"]", json);
            Assert.Contains(nr, new[] { Nr("mkdir"), Nr("mkdirat") });
            Assert.True(result.ExitCode != 0, result.ToString());
            Assert.Contains("Invalid cross-device link", result.Stderr);
            Assert.False(Directory.Exists(target));
        }
        finally { Directory.Delete(dir, recursive: true); }
    }

    [Fact]
    public void SendingToAMissingListenerPathNamesThePath()
    {
        var path = Path.Combine(Path.GetTempPath(), $"skiff-none-{Guid.NewGuid():N}.sock");
        var e = Assert.Throws<LinuxException>(() => SeccompNotify.SendListener(path, 0, "{}"u8));
        Assert.Equal(path, e.Path);
        Assert.Contains("connect", e.Message);
    }
}
