namespace Oar.Commands;

public static class Help
{
    public static int Print(int code = 0)
    {
        Console.Out.Write("""
            oar - a runc-compatible OCI container runtime (part of Skiff)

            usage: oar [global flags] <command> [flags] <container-id> ...

            commands:
              create   create a container from a bundle (--bundle, --pid-file, --no-pivot, --no-new-keyring, --preserve-fds)
              start    run the user process of a created container
              run      create and start a container (-d/--detach, --keep)
              state    print the state of a container (runtime-spec JSON)
              list     list containers (-f table|json, -q)
              kill     send a signal to a container: kill [--all] <id> [SIGNAL]
              delete   delete a container (--force)
              features print the features oar supports (JSON)
              spec     write a default config.json (--bundle, --rootless)

            global flags:
              --root DIR            state directory (default /run/oar)
              --log FILE            log file;  --log-format text|json
              --debug               debug logging
              --systemd-cgroup      use the systemd cgroup driver (needs systemd)
              --rootless auto|true|false
              --version             print the version

            """);
        return code;
    }
}
