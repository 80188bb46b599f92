using System.Text.Json.Serialization;

namespace Skiff.Shim.Protocol;

/// <summary>Source-generated JSON for every shim wire type (NativeAOT: no reflection). camelCase names.</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, WriteIndented = false,
    DefaultIgnoreCondition = JsonIgnoreCondition.Never)]
[JsonSerializable(typeof(ShimConfig))]
[JsonSerializable(typeof(ShimState))]
[JsonSerializable(typeof(ShimExit))]
[JsonSerializable(typeof(AttachRequest))]
public sealed partial class ShimJson : JsonSerializerContext;
