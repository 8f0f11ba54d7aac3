using Lobby.Api.Security;

namespace Lobby.Api.Cli;

/// <summary>`keys generate FILE`: a new signing key pair for JWT_SIGNING_KEYS.</summary>
internal static class KeysCommand
{
    public static int Run(string[] args)
    {
        if (args.Length != 2 || args[0] != "generate")
        {
            return CommandLine.Fail("usage: keys generate FILE");
        }

        var path = args[1];
        if (File.Exists(path))
        {
            Console.Error.WriteLine($"lobby: {path} already exists; refusing to overwrite a key");
            return 1;
        }

        SigningKeyRing.WriteNewKeyPair(path);
        Console.WriteLine($"Wrote {path} (private, mode 600) and {path}.pub");
        Console.WriteLine($"To rotate: JWT_SIGNING_KEYS={path},<current key file> so the new key signs and the old one still verifies.");
        return 0;
    }
}
