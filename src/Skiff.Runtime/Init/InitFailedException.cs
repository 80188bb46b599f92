namespace Skiff.Runtime.Init;

/// <summary>The container's init reported a failure; the message already names the step and the reason.</summary>
public sealed class InitFailedException(string message) : Exception(message);
