namespace Skiff.Engine.Shims;

/// <summary>The shim could not start the container; <see cref="Exception.Message"/> is the runtime's own error
/// (or the shim's, naming the step).</summary>
public sealed class ShimStartException(string message) : Exception(message);
