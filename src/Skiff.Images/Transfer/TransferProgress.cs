namespace Skiff.Images.Transfer;

public enum TransferPhase { Resolving, Waiting, Downloading, Extracting, Verifying, Exists, Done, Uploading, Mounted, Pushed, Failed }

/// <summary>One progress event of a pull or push: which blob (short id), what it is doing, how far.</summary>
public sealed record TransferProgress(string Id, TransferPhase Phase, long Current = 0, long Total = 0, string? Detail = null);
