using System.Text.Json.Serialization;

namespace Skiff.Engine.Containers;

/// <summary>Source-generated JSON for container.json (AOT: no reflection).</summary>
[JsonSourceGenerationOptions(WriteIndented = true)]
[JsonSerializable(typeof(ContainerRecord))]
[JsonSerializable(typeof(List<ContainerRecord>))]
public sealed partial class ContainerJson : JsonSerializerContext;
