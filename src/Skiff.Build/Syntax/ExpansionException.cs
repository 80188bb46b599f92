namespace Skiff.Build.Syntax;

/// <summary>A word that cannot be expanded (<c>${X:?message}</c> with X unset, a missing <c>}</c>, an unmatched
/// quote, a bad modifier). The message is docker's; callers add the instruction's position.</summary>
public sealed class ExpansionException(string message) : Exception(message);
