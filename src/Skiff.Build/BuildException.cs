namespace Skiff.Build;

/// <summary>A build failed for a reason the user can act on; the message names the step, the path and the reason.</summary>
public class BuildException(string message, Exception? inner = null) : Exception(message, inner);
