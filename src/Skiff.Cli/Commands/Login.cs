using Skiff.Images.Registry;

namespace Skiff.Cli.Commands;

/// <summary>skiff login [-u USER] [-p PASSWORD | --password-stdin] [--insecure] REGISTRY: checks the credentials against
/// the registry (its /v2/ with basic or token auth) and stores them in docker's config.json.</summary>
public static class Login
{
    public static async Task<int> Run(Context ctx, List<string> args)
    {
        var c = CommandLine.Parse(args, ["--password-stdin", "--insecure"], ["-u", "--username", "-p", "--password"]);
        if (c.Positionals.Count != 1) throw new UsageException("login needs a registry (e.g. localhost:5000)");
        var registry = c.Positionals[0];
        var user = c.Value("-u", "--username") ?? throw new UsageException("login needs --username");
        var pass = c.Has("--password-stdin") ? Console.In.ReadToEnd().TrimEnd('\n', '\r') : c.Value("-p", "--password");
        if (pass is null) throw new UsageException("login needs --password or --password-stdin");
        var creds = new Credentials(user, pass);
        using var client = new RegistryClient(new RegistryOptions { Credentials = new Fixed(creds), Insecure = c.Has("--insecure") });
        using var resp = await client.SendAsync(registry, "", b => new HttpRequestMessage(HttpMethod.Get, b), idempotent: true, CancellationToken.None);
        if (!resp.IsSuccessStatusCode) throw await RegistryClient.ErrorAsync(resp, $"login to {registry}", CancellationToken.None);
        DockerConfig.Default().Set(registry, creds);
        ctx.Out.WriteLine("Login Succeeded");
        return 0;
    }

    sealed class Fixed(Credentials c) : ICredentialSource { public Credentials? Get(string registry) => c; }
}
