using Skiff.Cli;
using Skiff.Cli.Commands;

return await Entry.Run(args);

namespace Skiff.Cli
{
    public static class Entry
    {
        const string Usage = """
            Usage: skiff [--root DIR] [--run-root DIR] [--snapshotter overlayfs|copy] COMMAND

            Container commands:
              run        Create and start a container from an image
              create     Create a container (not started)
              start      Start containers
              stop       Stop containers (stop signal, then SIGKILL)
              kill       Send a signal to containers
              restart    Restart containers
              rm         Remove containers
              ps         List containers
              exec       Run a command in a running container
              attach     Attach to a running container
              wait       Wait for containers to stop, print their exit codes
              pause      Freeze containers
              unpause    Thaw containers
              inspect    Show containers' or images' details as JSON
              logs       Show a container's output (-f, --tail, --since, --until, -t)
              cp         Copy files between a container and the host (or a tar stream)
              top        Show a container's processes
              stats      Show containers' CPU, memory, network and block I/O
              port       Show a container's published ports
              rename     Rename a container
              container prune  Remove stopped containers

            Volume commands:
              volume create|ls|inspect|rm|prune

            System commands:
              events     Show engine events (--since, --until, --filter)
              info       Show engine-wide information
              version    Show skiff's version

            Image commands:
              pull       Download an image from a registry
              push       Upload an image to a registry
              images     List images (also: image ls)
              tag        Give an image another name
              rmi        Remove images (also: image rm)
              inspect    Show an image's details as JSON
              history    Show the layers an image was built from
              save       Write images to a docker-archive or OCI layout
              load       Read images from a docker-archive or OCI layout
              import     Make an image from a rootfs tarball
              image prune  Remove unused data
              system df  Show disk usage
              build      Build an image from a Dockerfile
              builder prune  Remove build cache
              login      Store registry credentials
              logout     Remove registry credentials

            Network commands:
              network create   Create a bridge network (--subnet, --gateway, --internal, --label, -o)
              network ls       List networks (-q, --no-trunc, --format json, --filter)
              network inspect  Show networks' details as JSON
              network rm       Remove networks
              network prune    Remove networks no container uses
              network connect / disconnect   Connect a container to a network (--alias, --ip) / disconnect it (-f)
            """;

        public static async Task<int> Run(string[] argv)
        {
            var args = argv.ToList();
            string root = Environment.GetEnvironmentVariable("SKIFF_ROOT") ?? Images.ImageService.DefaultRoot;
            string? snapshotter = null;
            string? runRoot = null;
            bool debug = false;
            while (args.Count > 0 && args[0].StartsWith('-'))
            {
                var a = args[0];
                if (a is "--help" or "-h") { Console.WriteLine(Usage); return 0; }
                if (a is "--version" or "-v") { Console.WriteLine("skiff version 0.1.0"); return 0; }
                if (a == "--debug" || a == "-D") { debug = true; args.RemoveAt(0); continue; }
                if (TakeValue(args, "--root", out var r)) { root = r; continue; }
                if (TakeValue(args, "--snapshotter", out var s)) { snapshotter = s; continue; }
                if (TakeValue(args, "--run-root", out var rr)) { runRoot = rr; continue; }
                Console.Error.WriteLine($"skiff: unknown flag: {a}");
                return 125;
            }
            if (args.Count == 0) { Console.Error.WriteLine(Usage); return 125; }
            var ctx = new Context { Root = root, RunRoot = runRoot, Snapshotter = snapshotter, Debug = debug };
            var verb = args[0];
            var rest = args.Skip(1).ToList();
            if (verb == "image" && rest.Count > 0) { verb = "image " + rest[0]; rest.RemoveAt(0); }
            if (verb == "system" && rest.Count > 0) { verb = "system " + rest[0]; rest.RemoveAt(0); }
            if (verb == "container" && rest.Count > 0) { verb = "container " + rest[0]; rest.RemoveAt(0); }
            if (verb == "volume" && rest.Count > 0) { verb = "volume " + rest[0]; rest.RemoveAt(0); }
            if (verb == "network" && rest.Count > 0) { verb = "network " + rest[0]; rest.RemoveAt(0); }
            if (verb == "builder" && rest.Count > 0) { verb = "builder " + rest[0]; rest.RemoveAt(0); }
            try
            {
                return verb switch
                {
                    "pull" or "image pull" => await Pull.Run(ctx, rest),
                    "push" or "image push" => await Push.Run(ctx, rest),
                    "images" or "image ls" or "image list" => ImagesList.Run(ctx, rest),
                    "tag" or "image tag" => Tag.Run(ctx, rest),
                    "rmi" or "image rm" => Rmi.Run(ctx, rest),
                    "inspect" => Inspect.Run(ctx, rest),
                    "image inspect" => Inspect.Run(ctx, rest, "image"),
                    "container inspect" => Inspect.Run(ctx, rest, "container"),
                    "run" or "container run" => await RunCommand.Run(ctx, rest),
                    "create" or "container create" => await Create.Run(ctx, rest),
                    "start" or "container start" => Start.Run(ctx, rest),
                    "stop" or "container stop" => Stop.Run(ctx, rest),
                    "kill" or "container kill" => Kill.Run(ctx, rest),
                    "restart" or "container restart" => Restart.Run(ctx, rest),
                    "rm" or "container rm" => Rm.Run(ctx, rest),
                    "ps" or "container ls" or "container list" or "container ps" => Ps.Run(ctx, rest),
                    "exec" or "container exec" => ExecCommand.Run(ctx, rest),
                    "attach" or "container attach" => Attach.Run(ctx, rest),
                    "wait" or "container wait" => Wait.Run(ctx, rest),
                    "pause" or "container pause" => Pause.Run(ctx, rest),
                    "unpause" or "container unpause" => Unpause.Run(ctx, rest),
                    "history" or "image history" => HistoryCommand.Run(ctx, rest),
                    "save" or "image save" => Save.Run(ctx, rest),
                    "load" or "image load" => Load.Run(ctx, rest),
                    "import" or "image import" => Import.Run(ctx, rest),
                    "image prune" => Prune.Run(ctx, rest),
                    "system df" => SystemDf.Run(ctx, rest),
                    "logs" or "container logs" => Logs.Run(ctx, rest),
                    "events" or "system events" => EventsCommand.Run(ctx, rest),
                    "cp" or "container cp" => Cp.Run(ctx, rest),
                    "stats" or "container stats" => StatsCommand.Run(ctx, rest),
                    "top" or "container top" => Top.Run(ctx, rest),
                    "port" or "container port" => Port.Run(ctx, rest),
                    "rename" or "container rename" => Rename.Run(ctx, rest),
                    "container prune" => ContainerPrune.Run(ctx, rest),
                    "container cleanup" => ContainerCleanup.Run(ctx, rest),
                    "info" or "system info" => Info.Run(ctx, rest),
                    "version" => VersionCommand.Run(ctx, rest),
                    "volume create" or "volume ls" or "volume list" or "volume inspect" or "volume rm" or "volume remove" or "volume prune"
                        => VolumeCommand.Run(ctx, verb[7..], rest),
                    "build" or "image build" or "builder build" => await BuildCommand.Run(ctx, rest),
                    "builder prune" => BuilderPrune.Run(ctx, rest),
                    "login" => await Login.Run(ctx, rest),
                    "logout" => Logout.Run(ctx, rest),
                    "network create" => NetworkCreate.Run(ctx, rest),
                    "network ls" or "network list" => NetworkList.Run(ctx, rest),
                    "network inspect" => NetworkInspect.Run(ctx, rest),
                    "network rm" or "network remove" => NetworkRemove.Run(ctx, rest),
                    "network prune" => NetworkPrune.Run(ctx, rest),
                    "network connect" => NetworkConnect.Run(ctx, rest), "network disconnect" => NetworkDisconnect.Run(ctx, rest),
                    _ => throw new UsageException($"unknown command \"{verb}\"\n\n{Usage}"),
                };
            }
            catch (UsageException e)
            {
                Console.Error.WriteLine($"skiff: {e.Message}");
                return 125;
            }
            catch (Engine.EngineException e)
            {
                // docker's wording; run/create/exec report engine errors with 125, the other verbs with 1.
                bool launch = verb is "run" or "create" or "exec" or "container run" or "container create" or "container exec";
                Console.Error.WriteLine(launch ? $"skiff: Error response from daemon: {e.Message}" : $"Error response from daemon: {e.Message}");
                if (debug) Console.Error.WriteLine(e);
                return launch ? 125 : 1;
            }
            catch (Exception e)
            {
                Console.Error.WriteLine($"Error: {Describe(e)}");
                if (debug) Console.Error.WriteLine(e);
                return 1;
            }
        }

        static string Describe(Exception e)
        {
            if (e is AggregateException a && a.InnerExceptions.Count == 1) e = a.InnerExceptions[0];
            if (e is IOException io && io.HResult == 28 || e.Message.Contains("No space left", StringComparison.Ordinal))
                return $"{e.Message} (disk full)";
            return e.Message;
        }

        static bool TakeValue(List<string> args, string flag, out string value)
        {
            value = "";
            if (args[0] == flag && args.Count > 1) { value = args[1]; args.RemoveRange(0, 2); return true; }
            if (args[0].StartsWith(flag + "=", StringComparison.Ordinal)) { value = args[0][(flag.Length + 1)..]; args.RemoveAt(0); return true; }
            return false;
        }
    }
}
