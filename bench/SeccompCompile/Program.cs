using System.Diagnostics;
using Skiff.Runtime.Seccomp;
using Skiff.Runtime.Tests.Seccomp;

// usage: SeccompCompile [profile.json] [iterations]
// Prints the first (cold) compile time and the median of the following ones.
var path = args.Length > 0 ? args[0] : DockerProfile.DebianPath;
int iterations = args.Length > 1 ? int.Parse(args[1]) : 2000;
var spec = DockerProfile.Load(path, DockerProfile.DefaultCapabilities);

long allocated = GC.GetAllocatedBytesForCurrentThread();
var sw = Stopwatch.StartNew();
var program = SeccompCompiler.Compile(spec);
double cold = sw.Elapsed.TotalMicroseconds;
allocated = GC.GetAllocatedBytesForCurrentThread() - allocated;

var times = new double[iterations];
for (int i = 0; i < iterations; i++)
{
    sw.Restart();
    program = SeccompCompiler.Compile(spec);
    times[i] = sw.Elapsed.TotalMicroseconds;
}
Array.Sort(times);
Console.WriteLine($"{path}: {spec.Syscalls!.Sum(s => s.Names!.Count)} names → {program.Length} instructions");
Console.WriteLine($"first compile {cold:F0} µs ({allocated / 1024} KiB allocated); then median {times[iterations / 2]:F1} µs, p99 {times[iterations * 99 / 100]:F1} µs ({iterations} runs)");
