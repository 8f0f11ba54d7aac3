using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Lobby.IntegrationTests.Infrastructure;

namespace Lobby.IntegrationTests.OpenApi;

/// <summary>
/// Required vs optional, audited against the running server: for every request body in the
/// contract, each field is left out in turn from an otherwise complete body. The server requires
/// it when it answers 400 naming that field; the contract must mark exactly those fields required.
/// </summary>
public sealed class RequestFieldsTests(LobbyFactory factory) : IClassFixture<LobbyFactory>
{
    private readonly HttpClient _client = factory.CreateClient();

    [Fact]
    public async Task Every_request_field_is_required_in_the_contract_exactly_when_the_server_requires_it()
    {
        var admin = await Admins.CreateAsync(factory, _client);
        var other = await AuthApi.RegisterAsync(_client);
        var room = await RoomsApi.CreateAsync(_client, admin);
        var message = await RoomsApi.PostAsync(_client, admin, room.Id);
        using var served = await _client.GetAsync(new Uri("/openapi/v1.json", UriKind.Relative));
        var document = JsonNode.Parse(await served.Content.ReadAsStringAsync())!;
        var schemas = document["components"]!["schemas"]!;

        var mismatches = new List<string>();
        var checkedOperations = 0;
        foreach (var (template, item) in document["paths"]!.AsObject())
        {
            foreach (var (method, operation) in item!.AsObject())
            {
                var reference = operation?["requestBody"]?["content"]?["application/json"]?["schema"]?["$ref"]?.GetValue<string>();
                if (reference is null)
                {
                    continue;
                }

                checkedOperations++;
                var schema = schemas[reference.Split('/')[^1]]!;
                var required = (schema["required"] as JsonArray)?.Select(r => r!.GetValue<string>()).ToHashSet() ?? [];
                var path = template
                    .Replace("{messageId}", message.Id.ToString(), StringComparison.Ordinal)
                    .Replace("{userId}", other.User.Id.ToString(), StringComparison.Ordinal)
                    .Replace("{id}", (template.StartsWith("/api/v1/rooms", StringComparison.Ordinal) ? room.Id : other.User.Id).ToString(), StringComparison.Ordinal);
                foreach (var field in schema["properties"]!.AsObject().Select(p => p.Key))
                {
                    var body = CompleteBody(schema, admin.User.Id, other.User.Id);
                    body.Remove(field);
                    var (status, named) = await SendAsync(new HttpMethod(method.ToUpperInvariant()), path, admin.AccessToken, body, field);
                    var serverRequires = status == 400 && named;
                    if (serverRequires != required.Contains(field))
                    {
                        mismatches.Add($"{method.ToUpperInvariant()} {template} '{field}': contract says {(required.Contains(field) ? "required" : "optional")}, "
                            + $"the server answered {status} without it{(named ? " naming it" : "")}");
                    }
                }
            }
        }

        Assert.True(checkedOperations >= 10, $"only {checkedOperations} operations with a JSON body were found");
        Assert.True(mismatches.Count == 0, string.Join("\n", mismatches));
    }

    // The schema's example, completed with a plausible value for every field it leaves out.
    private static JsonObject CompleteBody(JsonNode schema, Guid self, Guid other)
    {
        var body = (schema["examples"]?[0]?.DeepClone() as JsonObject) ?? [];
        foreach (var (name, property) in schema["properties"]!.AsObject())
        {
            if (name == "email")
            {
                body[name] = AuthApi.NewEmail("audit");
            }
            else if (!body.ContainsKey(name))
            {
                var isUuid = property?["format"]?.GetValue<string>() == "uuid";
                var isBoolean = property?["type"]?.ToString() == "boolean";
                body[name] = property?["enum"]?[0]?.DeepClone()
                    ?? (isUuid ? JsonValue.Create((name == "ownerId" ? self : other).ToString())
                    : isBoolean ? JsonValue.Create(false)
                    : JsonValue.Create("Audit value"));
            }
        }

        return body;
    }

    private async Task<(int Status, bool NamesField)> SendAsync(HttpMethod method, string path, string token, JsonObject body, string field)
    {
        using var request = new HttpRequestMessage(method, path)
        {
            Content = new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json"),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        using var response = await _client.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        var named = (int)response.StatusCode == 400 && JsonNode.Parse(text)?["errors"]?[field] is not null;
        return ((int)response.StatusCode, named);
    }
}
