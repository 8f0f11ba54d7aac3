using Lobby.Api.Security;

namespace Lobby.IntegrationTests.Infrastructure;

/// <summary>A signing key pair made once per test run, passed to Lobby through JWT_SIGNING_KEYS like an operator would.</summary>
internal static class TestKeys
{
    private static readonly Lazy<string> File_ = new(() =>
    {
        var dir = Path.Combine(Path.GetTempPath(), "lobby-test-keys-" + Environment.ProcessId);
        var path = Path.Combine(dir, "signing-key.pem");
        if (!File.Exists(path))
        {
            SigningKeyRing.WriteNewKeyPair(path);
        }

        return path;
    });

    public static string PrivateKeyFile => File_.Value;

    public static string PublicKeyFile => File_.Value + ".pub";
}
