using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Serialization;
using Lobby.Api.Config;
using Microsoft.IdentityModel.Tokens;

namespace Lobby.Api.Security;

/// <summary>
/// The RSA keys tokens are signed and checked with. The first key signs; every key verifies
/// and is published in the JWKS, so a new key can be put first while tokens signed by the old
/// one stay valid until they expire (rotation without logging anyone out).
/// </summary>
internal sealed class SigningKeyRing : IDisposable
{
    public const string DevelopmentKeyPath = ".data/keys/signing-key.pem";

    private readonly List<RSA> _rsas;

    private SigningKeyRing(List<RSA> rsas)
    {
        _rsas = rsas;
        // A factory of our own: IdentityModel's shared default caches signature providers by key
        // id, which would hand one host's disposed RSA to another loading the same key file.
        var crypto = new CryptoProviderFactory();
        Keys = [.. rsas.Select(rsa => ToSecurityKey(rsa, crypto))];
        Credentials = new SigningCredentials(Keys[0], SecurityAlgorithms.RsaSha256);
        // Successor refresh tokens are HMACs under a secret only the servers hold; deriving it
        // from the signing key gives every replica the same secret with no extra setting.
        RefreshTokenSecret = HKDF.DeriveKey(HashAlgorithmName.SHA256, rsas[0].ExportPkcs8PrivateKey(), 32,
            info: Encoding.ASCII.GetBytes("lobby refresh-token successor v1"));
    }

    public IReadOnlyList<RsaSecurityKey> Keys { get; }

    public SigningCredentials Credentials { get; }

    public byte[] RefreshTokenSecret { get; }

    public static SigningKeyRing Load(AuthSettings settings)
    {
        var files = settings.SigningKeyFiles;
        if (files.Count == 0 && settings.GenerateDevelopmentKey)
        {
            EnsureDevelopmentKey();
            files = [DevelopmentKeyPath];
        }

        var rsas = new List<RSA>();
        foreach (var file in files)
        {
            string pem;
            try
            {
                pem = File.ReadAllText(file);
            }
            catch (UnauthorizedAccessException)
            {
                // Typically a root-owned 0600 key and a non-root process (UID 1654 in the image).
                throw new SettingsException($"JWT_SIGNING_KEYS file '{file}' cannot be read: permission denied ({SecretFile.RunningAs()}; make it readable by that user)");
            }
            catch (Exception ex) when (ex is FileNotFoundException or DirectoryNotFoundException)
            {
                throw new SettingsException($"JWT_SIGNING_KEYS file '{file}' does not exist");
            }
            catch (IOException ex)
            {
                throw new SettingsException($"JWT_SIGNING_KEYS file '{file}' cannot be read: {ex.Message}");
            }

            var rsa = RSA.Create();
            try
            {
                rsa.ImportFromPem(pem);
            }
            catch (Exception ex) when (ex is ArgumentException or CryptographicException)
            {
                rsa.Dispose();
                throw new SettingsException($"JWT_SIGNING_KEYS file '{file}' is not an RSA key in PEM format");
            }

            if (rsa.KeySize < 2048)
            {
                throw new SettingsException($"JWT_SIGNING_KEYS file '{file}' holds a {rsa.KeySize}-bit key; at least 2048 bits are required");
            }

            rsas.Add(rsa);
        }

        if (!HasPrivateKey(rsas[0]))
        {
            throw new SettingsException($"JWT_SIGNING_KEYS: the first file, '{files[0]}', must hold a private key (it signs)");
        }

        return new SigningKeyRing(rsas);
    }

    /// <summary>The public halves as a JWKS document (RFC 7517); never a private parameter.</summary>
    public JsonWebKeySet ToJwks() => new(
        [.. Keys.Select(k =>
        {
            var p = k.Rsa.ExportParameters(includePrivateParameters: false);
            return new PublicJsonWebKey("RSA", "sig", SecurityAlgorithms.RsaSha256, k.KeyId, Base64UrlEncoder.Encode(p.Modulus), Base64UrlEncoder.Encode(p.Exponent));
        })]);

    /// <summary>Writes a new 3072-bit RSA key pair: PATH (private, mode 600) and PATH.pub.</summary>
    public static void WriteNewKeyPair(string path)
    {
        using var rsa = RSA.Create(3072);
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        File.WriteAllText(path, rsa.ExportPkcs8PrivateKeyPem());
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }

        File.WriteAllText(path + ".pub", rsa.ExportSubjectPublicKeyInfoPem());
    }

    public void Dispose()
    {
        foreach (var rsa in _rsas)
        {
            rsa.Dispose();
        }
    }

    private static void EnsureDevelopmentKey()
    {
        if (!File.Exists(DevelopmentKeyPath))
        {
            WriteNewKeyPair(DevelopmentKeyPath);
        }
    }

    private static bool HasPrivateKey(RSA rsa)
    {
        try
        {
            _ = rsa.ExportParameters(includePrivateParameters: true);
            return true;
        }
        catch (CryptographicException)
        {
            return false;
        }
    }

    // kid is the RFC 7638 thumbprint: stable for a key, the same on every replica.
    private static RsaSecurityKey ToSecurityKey(RSA rsa, CryptoProviderFactory crypto)
    {
        var key = new RsaSecurityKey(rsa) { CryptoProviderFactory = crypto };
        key.KeyId = Base64UrlEncoder.Encode(JsonWebKeyConverter.ConvertFromRSASecurityKey(new RsaSecurityKey(rsa.ExportParameters(false))).ComputeJwkThumbprint());
        return key;
    }
}

/// <summary>A JWKS document (RFC 7517): the keys that verify Lobby's access tokens.</summary>
// RFC 7517 fixes the member names, whatever naming policy a serializer uses.
internal sealed record JsonWebKeySet([property: JsonPropertyName("keys")] IReadOnlyList<PublicJsonWebKey> Keys);

/// <summary>The public half of one RSA signing key (RFC 7518 section 6.3.1).</summary>
internal sealed record PublicJsonWebKey(
    [property: JsonPropertyName("kty")] string Kty,
    [property: JsonPropertyName("use")] string Use,
    [property: JsonPropertyName("alg")] string Alg,
    [property: JsonPropertyName("kid")] string Kid,
    [property: JsonPropertyName("n")] string N,
    [property: JsonPropertyName("e")] string E);
