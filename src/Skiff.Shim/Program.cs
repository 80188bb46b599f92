namespace Skiff.Shim;

/// <summary>skiff-shim: one small process per container (see issue 5). Placeholder until the shim lands.</summary>
public static class Program
{
    public static int Main(string[] args)
    {
        Console.Error.WriteLine("skiff-shim: not implemented yet");
        return 1;
    }
}
