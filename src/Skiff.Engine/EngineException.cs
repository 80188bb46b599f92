namespace Skiff.Engine;

/// <summary>An error the engine reports to the user as docker's daemon would ("No such container: x", "Conflict. …").
/// <see cref="Kind"/> lets front ends map it (CLI exit codes, HTTP status codes in `skiff serve`).</summary>
public class EngineException(EngineErrorKind kind, string message, Exception? inner = null) : Exception(message, inner)
{
    public EngineErrorKind Kind { get; } = kind;

    public static EngineException NotFound(string message) => new(EngineErrorKind.NotFound, message);
    public static EngineException Conflict(string message) => new(EngineErrorKind.Conflict, message);
    public static EngineException Invalid(string message) => new(EngineErrorKind.InvalidArgument, message);
}

public enum EngineErrorKind { NotFound, Conflict, InvalidArgument, NotRunning, System }
