namespace Skiff.Shim;

/// <summary>How one runtime command ended: its exit code and the best error text (the last error line of the
/// runtime's JSON log, else what it printed).</summary>
readonly record struct RuntimeResult(int ExitCode, string Error)
{
    public bool Ok => ExitCode == 0;
}
