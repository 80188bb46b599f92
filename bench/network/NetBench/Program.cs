using System.Diagnostics;
using Skiff.Engine;
using Skiff.Engine.Networking;

// Usage: NetBench RUNS BRIDGE SUBNET TABLE ROOT [--port]
// Prints one line per phase: "<phase> median_ms p90_ms" for CreateSandbox, Connect, DestroySandbox and the total.
int runs = int.Parse(args[0]);
var options = new NetworkOptions { DefaultBridge = args[1], DefaultSubnet = args[2], NftTable = args[3] };
bool port = args.Contains("--port");
var roots = new EngineRoots(Path.Combine(args[4], "data"), Path.Combine(args[4], "run"));
using var net = new NetworkService(roots, options);
var phases = new Dictionary<string, List<double>> { ["create"] = [], ["connect"] = [], ["destroy"] = [], ["total"] = [] };
for (int i = -3; i < runs; i++) // three warm-up rounds (JIT, bridge and table creation) are not counted
{
    var id = $"bench{i + 3:x4}".PadRight(64, '0');
    var request = new ConnectRequest { ContainerName = "bench" };
    if (port) request.Ports.Add(new PortBinding { ContainerPort = 80 });
    var sw = Stopwatch.StartNew();
    net.CreateSandbox(id);
    var t1 = sw.Elapsed.TotalMilliseconds;
    net.Connect(id, "bridge", request);
    var t2 = sw.Elapsed.TotalMilliseconds;
    net.DestroySandbox(id);
    var t3 = sw.Elapsed.TotalMilliseconds;
    if (i < 0) continue;
    phases["create"].Add(t1);
    phases["connect"].Add(t2 - t1);
    phases["destroy"].Add(t3 - t2);
    phases["total"].Add(t3);
}
foreach (var (name, list) in phases)
{
    list.Sort();
    Console.WriteLine($"{name} {list[list.Count / 2]:F2} {list[(int)(list.Count * 0.9)]:F2}");
}
