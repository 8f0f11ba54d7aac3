using System.Collections.Concurrent;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Json.Schema;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Lobby.IntegrationTests.Infrastructure;

/// <summary>One operation of the contract: its path template, declared statuses and responses.</summary>
public sealed record ContractOperation(string Method, string PathTemplate, string? OperationId, bool RequiresBearer, JsonObject Responses)
{
    public IReadOnlyCollection<string> Statuses => [.. Responses.Select(r => r.Key)];
}

/// <summary>
/// The committed OpenAPI document (api/openapi/openapi.yaml), read with YamlDotNet, and the check
/// of one HTTP response against it: the operation found by method and path template, the status
/// declared (5xx may fall to `default`, a 4xx must be listed), the content type declared, and the
/// JSON body valid against the response schema (JSON Schema 2020-12, by JsonSchema.Net).
/// </summary>
public sealed class ContractDocument
{
    public const string RelativePath = "api/openapi/openapi.yaml";

    private static readonly Lazy<ContractDocument> Committed = new(() => Parse(File.ReadAllText(Path)));

    private readonly JsonObject _schemas;
    private readonly ConcurrentDictionary<string, JsonSchema> _compiled = new();

    private ContractDocument(IReadOnlyList<ContractOperation> operations, JsonObject schemas)
    {
        Operations = operations;
        _schemas = schemas;
    }

    public static string Path => System.IO.Path.Combine(RepoPaths.Root, RelativePath);

    /// <summary>The committed document, read once per test run.</summary>
    public static ContractDocument Current => Committed.Value;

    public IReadOnlyList<ContractOperation> Operations { get; }

    public static ContractDocument Parse(string yaml)
    {
        var stream = new YamlStream();
        stream.Load(new StringReader(yaml));
        var root = (JsonObject)ToJson(stream.Documents[0].RootNode)!;
        var operations = new List<ContractOperation>();
        foreach (var (path, item) in root["paths"]!.AsObject())
        {
            foreach (var (method, op) in item!.AsObject())
            {
                if (op is not JsonObject operation || operation["responses"] is not JsonObject responses)
                {
                    continue;
                }

                var bearer = operation["security"] is JsonArray { Count: > 0 } security
                    && security.Any(s => s is JsonObject o && o.ContainsKey("bearer"));
                operations.Add(new ContractOperation(method.ToUpperInvariant(), path, operation["operationId"]?.GetValue<string>(), bearer, responses));
            }
        }

        var schemas = root["components"]?["schemas"]?.AsObject() ?? [];
        return new ContractDocument(operations, schemas);
    }

    /// <summary>The operation for a request, or null when the contract does not describe the path and method.</summary>
    public ContractOperation? Find(string method, string path)
    {
        var segments = path.TrimEnd('/').Split('/');
        ContractOperation? best = null;
        var bestLiterals = -1;
        foreach (var op in Operations.Where(o => string.Equals(o.Method, method, StringComparison.OrdinalIgnoreCase)))
        {
            var template = op.PathTemplate.Split('/');
            if (template.Length != segments.Length)
            {
                continue;
            }

            var literals = 0;
            var matches = true;
            for (var i = 0; i < template.Length && matches; i++)
            {
                if (template[i].StartsWith('{') && template[i].EndsWith('}'))
                {
                    matches = segments[i].Length > 0;
                }
                else
                {
                    matches = string.Equals(template[i], segments[i], StringComparison.OrdinalIgnoreCase);
                    literals++;
                }
            }

            // A literal segment wins over a parameter: /users/me is not /users/{id}.
            if (matches && literals > bestLiterals)
            {
                best = op;
                bestLiterals = literals;
            }
        }

        return best;
    }

    /// <summary>What is wrong with this response for this operation, or null when it keeps the contract.</summary>
    public string? Check(ContractOperation op, int status, string? contentType, ReadOnlySpan<byte> body)
    {
        var key = status.ToString(CultureInfo.InvariantCulture);
        if (op.Responses[key] is not JsonObject response)
        {
            if (status >= 500 && op.Responses["default"] is JsonObject fallback)
            {
                response = fallback;
                key = "default";
            }
            else
            {
                return $"status {status} is not declared (declared: {string.Join(", ", op.Statuses)})";
            }
        }

        var content = response["content"] as JsonObject;
        if (body.Length == 0)
        {
            return content is { Count: > 0 } && status != 304 ? $"status {status} declares a body but the response has none" : null;
        }

        if (content is null || content.Count == 0)
        {
            return $"status {status} declares no body but the response has {body.Length} bytes";
        }

        var mediaType = contentType?.Split(';')[0].Trim();
        if (mediaType is null || content[mediaType] is not JsonObject media)
        {
            return $"status {status}: content type '{mediaType}' is not declared (declared: {string.Join(", ", content.Select(c => c.Key))})";
        }

        if (media["schema"] is not JsonNode schemaNode || !mediaType.EndsWith("json", StringComparison.Ordinal))
        {
            return null;
        }

        JsonDocument instance;
        try
        {
            instance = JsonDocument.Parse(body.ToArray());
        }
        catch (JsonException e)
        {
            return $"status {status}: body is not JSON ({e.Message})";
        }

        using (instance)
        {
            var schema = _compiled.GetOrAdd($"{op.Method} {op.PathTemplate} {key} {mediaType}", _ => Compile(schemaNode));
            var result = schema.Evaluate(instance.RootElement, new EvaluationOptions { OutputFormat = OutputFormat.List, RequireFormatValidation = true });
            if (result.IsValid)
            {
                return null;
            }

            var errors = (result.Details ?? [])
                .Where(d => d.Errors is { Count: > 0 })
                .SelectMany(d => d.Errors!.Select(e => $"{d.InstanceLocation}: {e.Value} ({d.EvaluationPath})"))
                .Take(8);
            return $"status {status}: body does not match the schema: {string.Join("; ", errors)}";
        }
    }

    // The response schema together with every component schema as $defs, so $refs resolve inside one document.
    private JsonSchema Compile(JsonNode responseSchema)
    {
        var text = new JsonObject
        {
            ["$schema"] = "https://json-schema.org/draft/2020-12/schema",
            ["$defs"] = _schemas.DeepClone(),
            ["allOf"] = new JsonArray(responseSchema.DeepClone()),
        }.ToJsonString().Replace("#/components/schemas/", "#/$defs/", StringComparison.Ordinal);
        var options = new BuildOptions { SchemaRegistry = new SchemaRegistry() };
        return JsonSchema.FromText(text, options, new Uri($"https://lobby.invalid/contract/{Guid.NewGuid():N}"));
    }

    // YAML to JSON keeping scalar types: a plain (unquoted) scalar may be a number, boolean or
    // null; a quoted one is always a string.
    private static JsonNode? ToJson(YamlNode node) => node switch
    {
        YamlMappingNode map => new JsonObject(map.Children.Select(c => KeyValuePair.Create(((YamlScalarNode)c.Key).Value!, ToJson(c.Value)))),
        YamlSequenceNode seq => new JsonArray([.. seq.Children.Select(ToJson)]),
        YamlScalarNode { Style: ScalarStyle.Plain } s => Plain(s.Value ?? ""),
        YamlScalarNode s => JsonValue.Create(s.Value ?? ""),
        _ => throw new InvalidOperationException($"Unsupported YAML node {node.NodeType}"),
    };

    private static JsonValue? Plain(string value) => value switch
    {
        "null" or "~" or "" => null,
        "true" => JsonValue.Create(true),
        "false" => JsonValue.Create(false),
        _ when long.TryParse(value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var l) => JsonValue.Create(l),
        _ when double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) => JsonValue.Create(d),
        _ => JsonValue.Create(value),
    };
}
