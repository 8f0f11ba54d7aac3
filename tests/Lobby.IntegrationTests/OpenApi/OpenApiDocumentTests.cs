using System.Net;
using Lobby.IntegrationTests.Infrastructure;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;

namespace Lobby.IntegrationTests.OpenApi;

/// <summary>The app as far as the document needs it: built and routed, never connected to a database.</summary>
public sealed class DocumentFactory : WebApplicationFactory<Program>
{
    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Testing");
        builder.UseSetting("DATABASE_URL", "Host=127.0.0.1;Port=9;Database=unused");
        builder.UseSetting("MIGRATE_ON_STARTUP", "false");
        builder.UseSetting("LOG_LEVEL", "Warning");
        builder.UseSetting("JWT_SIGNING_KEYS", TestKeys.PrivateKeyFile);
    }
}

/// <summary>
/// The committed contract (api/openapi/openapi.yaml) is exactly what the code generates. Run
/// scripts/openapi.sh to regenerate it (and the TypeScript types) after changing an endpoint.
/// </summary>
public sealed class OpenApiDocumentTests(DocumentFactory factory) : IClassFixture<DocumentFactory>
{
    public const string RegenerateCommand = "scripts/openapi.sh";

    [Fact]
    public async Task Committed_contract_matches_the_generated_document()
    {
        var generated = await GenerateAsync();
        var path = ContractDocument.Path;
        if (Environment.GetEnvironmentVariable("LOBBY_UPDATE_OPENAPI") == "1")
        {
            Directory.CreateDirectory(System.IO.Path.GetDirectoryName(path)!);
            await File.WriteAllTextAsync(path, generated);
            return;
        }

        Assert.True(File.Exists(path), $"{ContractDocument.RelativePath} is missing. Generate it with: {RegenerateCommand}");
        var committed = Normalise(await File.ReadAllTextAsync(path));
        if (committed != Normalise(generated))
        {
            var diff = FirstDifference(committed, Normalise(generated));
            Assert.Fail($"{ContractDocument.RelativePath} differs from the document the code generates ({diff}). "
                + $"If the change is intended, regenerate it with: {RegenerateCommand}");
        }
    }

    [Fact]
    public async Task The_document_is_served_as_application_yaml_and_as_json()
    {
        using var client = factory.CreateClient();
        using var yaml = await client.GetAsync(new Uri("/openapi/v1.yaml", UriKind.Relative));
        using var json = await client.GetAsync(new Uri("/openapi/v1.json", UriKind.Relative));

        Assert.Equal("application/yaml", yaml.Content.Headers.ContentType?.MediaType);
        Assert.Equal("application/json", json.Content.Headers.ContentType?.MediaType);
        var fromYaml = ContractDocument.Parse(await yaml.Content.ReadAsStringAsync());
        var fromJson = ContractDocument.Parse(await json.Content.ReadAsStringAsync());
        Assert.Equal(fromYaml.Operations.Select(o => o.OperationId), fromJson.Operations.Select(o => o.OperationId));
        Assert.True(fromYaml.Operations.Count > 20);
    }

    [Fact]
    public async Task Integers_are_integers_not_integer_or_string()
    {
        var generated = await GenerateAsync();
        Assert.Contains("expiresIn:", generated, StringComparison.Ordinal);
        Assert.DoesNotContain("pattern: '^-?(?:0|[1-9]\\d*)$'", generated, StringComparison.Ordinal);
        Assert.DoesNotContain("- string\n        - integer", generated, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Every_operation_has_an_operation_id_and_the_protected_ones_need_a_bearer_token()
    {
        var contract = ContractDocument.Parse(await GenerateAsync());
        Assert.NotEmpty(contract.Operations);
        foreach (var op in contract.Operations)
        {
            Assert.False(string.IsNullOrEmpty(op.OperationId), $"{op.Method} {op.PathTemplate} has no operationId");
            var isPublic = op.PathTemplate.StartsWith("/api/v1/auth/", StringComparison.Ordinal) && op.OperationId is "register" or "login" or "refreshTokens"
                or "forgotPassword" or "resetPassword" or "verifyEmail" or "confirmEmailChange"
                || op.PathTemplate is "/.well-known/jwks.json" or "/api/v1/auth/settings";
            Assert.True(isPublic != op.RequiresBearer, $"{op.OperationId}: bearer requirement is {op.RequiresBearer}");
            if (op.RequiresBearer)
            {
                Assert.Contains("401", op.Statuses);
            }
        }
    }

    [Fact]
    public async Task The_api_reference_is_served_at_docs_only_when_enabled()
    {
        using (var client = factory.CreateClient())
        {
            using var off = await client.GetAsync("/docs/");
            Assert.Equal(HttpStatusCode.NotFound, off.StatusCode);
        }

        using var enabled = factory.WithWebHostBuilder(b => b.UseSetting("API_DOCS_ENABLED", "true"));
        using var docsClient = enabled.CreateClient();
        using var page = await docsClient.GetAsync("/docs/");
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Contains("openapi/v1.yaml", await page.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    private async Task<string> GenerateAsync()
    {
        using var client = factory.CreateClient();
        using var response = await client.GetAsync("/openapi/v1.yaml");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return (await response.Content.ReadAsStringAsync()).ReplaceLineEndings("\n");
    }

    private static string Normalise(string text) => text.ReplaceLineEndings("\n").TrimEnd('\n') + "\n";

    private static string FirstDifference(string expected, string actual)
    {
        var a = expected.Split('\n');
        var b = actual.Split('\n');
        for (var i = 0; i < Math.Max(a.Length, b.Length); i++)
        {
            var left = i < a.Length ? a[i] : "<end of file>";
            var right = i < b.Length ? b[i] : "<end of file>";
            if (left != right)
            {
                return $"first at line {i + 1}: committed `{left.Trim()}`, generated `{right.Trim()}`";
            }
        }

        return "line endings only";
    }
}
