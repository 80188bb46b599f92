using Skiff.Cli;
using Skiff.Cli.Commands;

return await Entry.Run(args);

namespace Skiff.Cli
{
    public static class Entry
    {
        const string Usage = """
            Usage: skiff [--root DIR] [--snapshotter overlayfs|copy] COMMAND

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
            """;

        public static async Task<int> Run(string[] argv)
        {
            var args = argv.ToList();
            string root = Environment.GetEnvironmentVariable("SKIFF_ROOT") ?? Images.ImageService.DefaultRoot;
            string? snapshotter = null;
            bool debug = false;
            while (args.Count > 0 && args[0].StartsWith('-'))
            {
                var a = args[0];
                if (a is "--help" or "-h") { Console.WriteLine(Usage); return 0; }
                if (a is "--version" or "-v") { Console.WriteLine("skiff version 0.1.0"); return 0; }
                if (a == "--debug" || a == "-D") { debug = true; args.RemoveAt(0); continue; }
                if (TakeValue(args, "--root", out var r)) { root = r; continue; }
                if (TakeValue(args, "--snapshotter", out var s)) { snapshotter = s; continue; }
                Console.Error.WriteLine($"skiff: unknown flag: {a}");
                return 125;
            }
            if (args.Count == 0) { Console.Error.WriteLine(Usage); return 125; }
            var ctx = new Context { Root = root, Snapshotter = snapshotter, Debug = debug };
            var verb = args[0];
            var rest = args.Skip(1).ToList();
            if (verb == "image" && rest.Count > 0) { verb = "image " + rest[0]; rest.RemoveAt(0); }
            if (verb == "system" && rest.Count > 0) { verb = "system " + rest[0]; rest.RemoveAt(0); }
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
                    "inspect" or "image inspect" => Inspect.Run(ctx, rest),
                    "history" or "image history" => HistoryCommand.Run(ctx, rest),
                    "save" or "image save" => Save.Run(ctx, rest),
                    "load" or "image load" => Load.Run(ctx, rest),
                    "import" or "image import" => Import.Run(ctx, rest),
                    "image prune" => Prune.Run(ctx, rest),
                    "system df" => SystemDf.Run(ctx, rest),
                    "build" or "image build" or "builder build" => await BuildCommand.Run(ctx, rest),
                    "builder prune" => BuilderPrune.Run(ctx, rest),
                    "login" => await Login.Run(ctx, rest),
                    "logout" => Logout.Run(ctx, rest),
                    _ => throw new UsageException($"unknown command \"{verb}\"\n\n{Usage}"),
                };
            }
            catch (UsageException e)
            {
                Console.Error.WriteLine($"skiff: {e.Message}");
                return 125;
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
