using System.Text.Json.Serialization;

namespace Skiff.Engine.Networking;

/// <summary>Source-generated JSON (NativeAOT) for the network store and docker's NetworkResource.</summary>
[JsonSourceGenerationOptions(WriteIndented = true, DefaultIgnoreCondition = JsonIgnoreCondition.Never)]
[JsonSerializable(typeof(NetworkRecord))]
[JsonSerializable(typeof(NetworkInfo))]
[JsonSerializable(typeof(List<NetworkInfo>))]
public sealed partial class NetworkJson : JsonSerializerContext;

/// <summary>One-line JSON (`--format json`).</summary>
[JsonSourceGenerationOptions(WriteIndented = false)]
[JsonSerializable(typeof(NetworkInfo))]
public sealed partial class NetworkJsonCompact : JsonSerializerContext;
