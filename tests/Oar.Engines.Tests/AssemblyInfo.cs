// The daemons share the machine's cgroups, mounts and two cores: one engine at a time.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
