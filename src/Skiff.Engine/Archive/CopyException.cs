namespace Skiff.Engine.Archive;

/// <summary>A <c>cp</c> that cannot be done as asked; the message follows docker's wording and names the path.</summary>
public sealed class CopyException(string message) : Exception(message);
