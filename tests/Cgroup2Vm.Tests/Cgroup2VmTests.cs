using Xunit.Abstractions;

namespace Cgroup2Vm.Tests;

/// <summary>
/// cgroup v2 for real: each test is one check the guest of tests/Cgroup2Vm ran on a pure cgroup2 kernel with real
/// oar containers (see tests/Cgroup2Vm/guest/checks.sh for what each does and docs/cgroup2-vm.md). The VM boots once
/// per run of this class; a check that failed, or whose RESULT line is missing, fails its test.
/// </summary>
public sealed class Cgroup2VmTests(VmRun vm, ITestOutputHelper output) : IClassFixture<VmRun>
{
    /// <summary>Every check this class asserts; must equal the guest's EXPECTED list.</summary>
    static readonly string[] Checks =
    [
        "subtree_enabled", "cgroupns_root", "cgroupns_own_files", "memory_max_oom", "memory_oom_events", "memory_oom_state",
        "memory_within_limit", "memory_swap_max", "memory_high", "cpu_max", "cpu_weight", "pids_max", "io_max", "io_weight",
        "cpuset", "hugetlb", "devices_allowed", "devices_denied", "devices_write_denied", "freezer", "update_memory",
        "update_pids", "ps", "delete", "delete_force",
    ];

    [Fact]
    public void The_guest_ran_every_check_this_class_asserts()
    {
        output.WriteLine($"VM run (build + boot + checks): {vm.Elapsed.TotalSeconds:F0}s");
        foreach (var line in vm.Console.Split('\n').Where(l => l.Contains("RESULT ") || l.StartsWith("CHECKS") || l.Contains("GUEST")))
            output.WriteLine(line.TrimEnd('\r'));
        Assert.True(vm.Failure is null, vm.Failure);
        Assert.Equal(Checks.Order(), vm.Expected.Order());
        Assert.Empty(vm.Results.Keys.Except(Checks));
    }

    [Fact] public void Oar_enables_the_controllers_in_the_ancestors_subtree_control() => vm.Check("subtree_enabled");
    [Fact] public void Cgroup_namespace_shows_the_container_its_cgroup_as_root() => vm.Check("cgroupns_root");
    [Fact] public void Cgroup_mount_in_the_container_shows_its_own_limits() => vm.Check("cgroupns_own_files");
    [Fact] public void Memory_max_with_zero_swap_gets_an_oversized_allocation_oom_killed() => vm.Check("memory_max_oom");
    [Fact] public void Events_reports_the_oom_kill() => vm.Check("memory_oom_events");
    [Fact] public void State_reports_the_oom_kill() => vm.Check("memory_oom_state");
    [Fact] public void An_allocation_within_the_limit_survives_and_state_reports_no_oom() => vm.Check("memory_within_limit");
    [Fact] public void Memory_swap_max_lets_an_allocation_beyond_memory_max_swap_out() => vm.Check("memory_swap_max");
    [Fact] public void Memory_high_from_unified_throttles_without_killing() => vm.Check("memory_high");
    [Fact] public void Cpu_max_throttles_a_busy_loop_to_its_quota() => vm.Check("cpu_max");
    [Fact] public void Cpu_weight_from_shares_splits_one_cpu_between_two_containers() => vm.Check("cpu_weight");
    [Fact] public void Pids_max_makes_forks_beyond_the_limit_fail() => vm.Check("pids_max");
    [Fact] public void Io_max_throttles_direct_reads_from_a_virtio_disk() => vm.Check("io_max");
    [Fact] public void Blkio_weight_lands_in_the_io_weight_file() => vm.Check("io_weight");
    [Fact] public void Cpuset_confines_the_container_to_its_cpus_and_mems() => vm.Check("cpuset");
    [Fact] public void Hugetlb_limit_refuses_a_second_huge_page() => vm.Check("hugetlb");
    [Fact] public void Device_program_lets_an_allowed_device_be_read() => vm.Check("devices_allowed");
    [Fact] public void Device_program_refuses_to_open_a_device_without_a_rule() => vm.Check("devices_denied");
    [Fact] public void Device_program_refuses_an_access_not_allowed() => vm.Check("devices_write_denied");
    [Fact] public void Pause_and_resume_freeze_and_thaw_through_cgroup_freeze() => vm.Check("freezer");
    [Fact] public void Update_memory_on_a_running_container_takes_effect() => vm.Check("update_memory");
    [Fact] public void Update_pids_limit_on_a_running_container_takes_effect() => vm.Check("update_pids");
    [Fact] public void Ps_lists_the_cgroups_processes() => vm.Check("ps");
    [Fact] public void Delete_removes_the_cgroup() => vm.Check("delete");
    [Fact] public void Delete_force_of_a_running_container_removes_the_cgroup() => vm.Check("delete_force");
}
