using System.Text;
using Lobby.IntegrationTests.Infrastructure;
using Lobby.IntegrationTests.Rooms;
using Npgsql;
using YamlDotNet.RepresentationModel;

namespace Lobby.IntegrationTests.Reliability;

/// <summary>
/// Every operation of the committed contract, fed hostile input: broken and deeply nested JSON,
/// wrong types, missing and unknown fields, huge strings, NUL, lone surrogates, bidi marks,
/// SQL and HTML, absurd numbers, bad ids and cursors, bad or missing auth. No answer may be a
/// 5xx, every error must be problem+json, a rejected write must change no row, and Lobby must
/// still be ready at the end.
/// </summary>
public sealed class HostileInputTests(RoomsFactory factory) : IClassFixture<RoomsFactory>
{
    private static readonly string[] HostileStrings =
    [
        "", " ", new string('x', 60_000), "nul\u0000byte", "lone \ud800 surrogate", "rtl \u202E mark", "zero\u200Bwidth",
        "' OR 1=1 --", "'; DROP TABLE users; --", "<script>alert(1)</script>", "../../etc/passwd", "%00", "😀",
    ];

    private static readonly string[] HostileNumbers = ["-1", "0", "1e309", "99999999999999999999999", "1.5", "NaN", "\"12\"", "true", "null", "[]", "{}"];

    private static readonly string[] HostileBodies =
    [
        "", "{", "[", "nul", "{\"a\":}", "\"just a string\"", "42", "[1,2,3]", "{\"a\":1,\"a\":2}",
        new string('[', 5000) + new string(']', 5000), "{" + string.Concat(Enumerable.Repeat("\"k\":{", 200)) + "}" + new string('}', 200),
        "{\"unknownField\": 1}", "{}",
    ];

    private static readonly string[] HostileIds = ["not-a-guid", "00000000-0000-0000-0000-000000000000", "123", new string('a', 500), "%2e%2e%2f"];

    private static readonly string[] HostileQueryValues = ["-1", "0", "101", "abc", "1e9", "' OR 1=1 --", "%00", "\ud800", new string('9', 400)];

    [Fact]
    public async Task No_hostile_input_gets_a_5xx_every_error_is_problem_json_and_rejected_writes_change_nothing()
    {
        var client = factory.CreateClient();
        var owner = await AuthApi.RegisterAsync(client);
        var member = await AuthApi.RegisterAsync(client);
        var room = await RoomsApi.CreateAsync(client, owner);
        await RoomsApi.AddMemberAsync(client, owner, room.Id, member.User.Id);
        var message = await RoomsApi.PostAsync(client, owner, room.Id, "target");
        var ids = new Dictionary<string, string>
        {
            ["id"] = room.Id.ToString(),
            ["messageId"] = message.Id.ToString(),
            ["userId"] = member.User.Id.ToString(),
        };

        var problems = new List<string>();
        var requests = 0;
        foreach (var op in Operations())
        {
            foreach (var (path, query, body, token) in Cases(op, ids, owner.AccessToken))
            {
                var before = await FingerprintAsync();
                using var request = new HttpRequestMessage(new HttpMethod(op.Method), path + query);
                if (body is not null)
                {
                    request.Content = new StringContent(body, Encoding.UTF8, "application/json");
                }

                if (token is not null)
                {
                    request.Headers.TryAddWithoutValidation("Authorization", token);
                }

                using var response = await client.SendAsync(request);
                requests++;
                var status = (int)response.StatusCode;
                var label = $"{op.Method} {path}{Shorten(query)} body={Shorten(body)}";
                if (status >= 500)
                {
                    problems.Add($"{status} for {label}: {Shorten(await response.Content.ReadAsStringAsync())}");
                }
                else if (status >= 400)
                {
                    if (response.Content.Headers.ContentType?.MediaType != "application/problem+json")
                    {
                        problems.Add($"{status} without problem+json for {label}");
                    }

                    if (await FingerprintAsync() != before)
                    {
                        problems.Add($"rejected ({status}) but changed rows: {label}");
                    }
                }
            }
        }

        Assert.True(problems.Count == 0, $"{problems.Count} of {requests} hostile requests misbehaved:\n" + string.Join("\n", problems.Take(40)));
        Assert.True(requests > 500, $"only {requests} requests were generated");
        using var ready = await client.GetAsync(new Uri("/health/ready", UriKind.Relative));
        Assert.Equal(200, (int)ready.StatusCode);
    }

    private sealed record Operation(string Method, string Path, bool HasBody, IReadOnlyList<string> QueryParameters);

    private static IEnumerable<Operation> Operations()
    {
        var yaml = new YamlStream();
        using (var reader = new StreamReader(Path.Combine(RepoPaths.Root, "api", "openapi", "openapi.yaml")))
        {
            yaml.Load(reader);
        }

        var paths = (YamlMappingNode)((YamlMappingNode)yaml.Documents[0].RootNode)["paths"];
        foreach (var (pathKey, pathNode) in paths.Children)
        {
            foreach (var (methodKey, opNode) in ((YamlMappingNode)pathNode).Children)
            {
                var method = ((YamlScalarNode)methodKey).Value!.ToUpperInvariant();
                if (method is not ("GET" or "POST" or "PATCH" or "PUT" or "DELETE"))
                {
                    continue;
                }

                var op = (YamlMappingNode)opNode;
                var query = new List<string>();
                if (op.Children.TryGetValue(new YamlScalarNode("parameters"), out var parameters))
                {
                    foreach (var p in ((YamlSequenceNode)parameters).Children.Cast<YamlMappingNode>())
                    {
                        if (((YamlScalarNode)p["in"]).Value == "query")
                        {
                            query.Add(((YamlScalarNode)p["name"]).Value!);
                        }
                    }
                }

                yield return new Operation(method, ((YamlScalarNode)pathKey).Value!, op.Children.ContainsKey(new YamlScalarNode("requestBody")), query);
            }
        }
    }

    private static IEnumerable<(string Path, string Query, string? Body, string? Token)> Cases(Operation op, Dictionary<string, string> ids, string accessToken)
    {
        var bearer = "Bearer " + accessToken;
        var path = Fill(op.Path, name => ids.GetValueOrDefault(name, Guid.NewGuid().ToString()));

        // Bad or missing auth.
        yield return (path, "", op.HasBody ? "{}" : null, null);
        yield return (path, "", op.HasBody ? "{}" : null, "Bearer not.a.token");
        yield return (path, "", op.HasBody ? "{}" : null, "Basic dXNlcjpwYXNz");

        // Bad ids in every path parameter.
        if (op.Path.Contains('{', StringComparison.Ordinal))
        {
            foreach (var bad in HostileIds)
            {
                yield return (Fill(op.Path, _ => Uri.EscapeDataString(bad)), "", op.HasBody ? "{}" : null, bearer);
            }
        }

        // Bad query values, one parameter at a time.
        foreach (var name in op.QueryParameters)
        {
            foreach (var bad in HostileQueryValues)
            {
                yield return (path, $"?{name}={Uri.EscapeDataString(bad)}", null, bearer);
            }
        }

        if (!op.HasBody)
        {
            yield break;
        }

        foreach (var body in HostileBodies)
        {
            yield return (path, "", body, bearer);
        }

        // Every plausible field name, with hostile strings and wrong-typed values.
        foreach (var field in new[] { "email", "password", "displayName", "refreshToken", "name", "topic", "visibility", "body", "role", "disabled", "userId", "ownerId", "currentPassword", "newPassword" })
        {
            foreach (var text in HostileStrings)
            {
                yield return (path, "", $"{{\"{field}\": {JsonString(text)}}}", bearer);
            }

            foreach (var number in HostileNumbers)
            {
                yield return (path, "", $"{{\"{field}\": {number}}}", bearer);
            }
        }
    }

    // Lone surrogates must reach the server as JSON escapes: UTF-8 cannot carry them.
    private static string JsonString(string text)
    {
        var sb = new StringBuilder("\"");
        foreach (var c in text)
        {
            sb.Append(c switch
            {
                '"' => "\\\"",
                '\\' => "\\\\",
                _ when char.IsSurrogate(c) || c < ' ' => $"\\u{(int)c:x4}",
                _ => c.ToString(),
            });
        }

        return sb.Append('"').ToString();
    }

    private static string Fill(string template, Func<string, string> value)
    {
        var sb = new StringBuilder();
        for (var i = 0; i < template.Length; i++)
        {
            if (template[i] == '{')
            {
                var end = template.IndexOf('}', i);
                sb.Append(value(template[(i + 1)..end]));
                i = end;
            }
            else
            {
                sb.Append(template[i]);
            }
        }

        return sb.ToString();
    }

    private async Task<string> FingerprintAsync()
    {
        await using var db = new NpgsqlConnection(factory.ConnectionString);
        await db.OpenAsync();
        await using var command = new NpgsqlCommand("""
            SELECT concat_ws('|',
              (SELECT count(*) FROM users), (SELECT max(updated_at) FROM users),
              (SELECT count(*) FROM sessions), (SELECT count(*) FROM sessions WHERE revoked_at IS NOT NULL),
              (SELECT count(*) FROM refresh_tokens), (SELECT count(*) FROM rooms), (SELECT max(updated_at) FROM rooms),
              (SELECT count(*) FROM room_members), (SELECT count(*) FROM messages),
              (SELECT count(*) FROM messages WHERE edited_at IS NOT NULL OR deleted_at IS NOT NULL),
              (SELECT count(*) FROM admin_audit))
            """, db);
        return (string)(await command.ExecuteScalarAsync())!;
    }

    private static string Shorten(string? text) => text is null ? "" : text.Length <= 80 ? text : text[..80] + "…";
}
