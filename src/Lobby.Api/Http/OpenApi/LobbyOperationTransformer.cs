using Lobby.Api.Security;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.OpenApi;
using System.Text.Json.Nodes;

namespace Lobby.Api.Http.OpenApi;

/// <summary>
/// What every operation shares and the framework cannot infer: the bearer requirement and its
/// 401/403, the errors any JSON body can cause (400, 413, 415), 429 on rate-limited routes, a
/// `default` problem for 500/503, and the real types of the query values that bind as text.
/// </summary>
internal sealed class LobbyOperationTransformer : IOpenApiOperationTransformer
{
    private const string ProblemJson = "application/problem+json";

    public async Task TransformAsync(OpenApiOperation operation, OpenApiOperationTransformerContext context, CancellationToken cancellationToken)
    {
        var metadata = context.Description.ActionDescriptor.EndpointMetadata;
        var document = context.Document ?? throw new InvalidOperationException("The operation has no document.");
        var problem = await ProblemReferenceAsync(context, typeof(ProblemDetails), "ProblemDetails", cancellationToken);
        var validation = await ProblemReferenceAsync(context, typeof(HttpValidationProblemDetails), "HttpValidationProblemDetails", cancellationToken);
        operation.Responses ??= [];

        var authorize = metadata.OfType<IAuthorizeData>().ToList();
        if (authorize.Count > 0 && !metadata.OfType<IAllowAnonymous>().Any())
        {
            operation.Security = [new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(LobbyDocumentTransformer.BearerScheme, document)] = [] }];
            Add(operation, 401, problem);
            if (authorize.Any(a => a.Policy is Policies.Admin or Policies.Moderator))
            {
                Add(operation, 403, problem);
            }
        }
        else
        {
            // An empty requirement says "no credentials needed" outright, rather than by omission.
            operation.Security = [new OpenApiSecurityRequirement()];
        }

        if (operation.RequestBody is not null)
        {
            Add(operation, 400, validation);
            Add(operation, 413, problem);
            Add(operation, 415, problem);
        }

        if (metadata.OfType<EnableRateLimitingAttribute>().Any())
        {
            Add(operation, 429, problem);
        }

        var bearer = operation.Security is [{ Count: > 0 }];
        foreach (var (status, response) in operation.Responses)
        {
            if (response is OpenApiResponse concrete && int.TryParse(status, out var code) && Describe(code, bearer) is { } text)
            {
                concrete.Description = text;
                AddHeaders(concrete, code);
            }
        }

        operation.Responses["default"] = new OpenApiResponse
        {
            Description = "Unexpected error (500, which says only to quote the requestId) or service unavailable (503, with Retry-After).",
            Content = new Dictionary<string, OpenApiMediaType> { [ProblemJson] = new() { Schema = problem } },
        };

        foreach (var parameter in operation.Parameters?.OfType<OpenApiParameter>() ?? [])
        {
            DescribeParameter(parameter);
        }

        // Statuses in numeric order, whatever order the metadata and this transformer added them in.
        var sorted = operation.Responses.OrderBy(r => r.Key == "default" ? 1000 : int.Parse(r.Key, System.Globalization.CultureInfo.InvariantCulture)).ToList();
        operation.Responses.Clear();
        foreach (var (status, response) in sorted)
        {
            operation.Responses[status] = response;
        }
    }

    private static async Task<IOpenApiSchema> ProblemReferenceAsync(OpenApiOperationTransformerContext context, Type type, string name, CancellationToken ct)
    {
        var document = context.Document!;
        if (document.Components?.Schemas?.ContainsKey(name) != true)
        {
            document.AddComponent(name, await context.GetOrCreateSchemaAsync(type, null, ct));
        }

        return new OpenApiSchemaReference(name, document);
    }

    private static void Add(OpenApiOperation operation, int status, IOpenApiSchema schema)
    {
        var key = status.ToString(System.Globalization.CultureInfo.InvariantCulture);
        if (!operation.Responses!.ContainsKey(key))
        {
            operation.Responses[key] = new OpenApiResponse
            {
                Description = Describe(status, bearer: operation.Security is [{ Count: > 0 }]) ?? "Error",
                Content = new Dictionary<string, OpenApiMediaType> { [ProblemJson] = new() { Schema = schema } },
            };
        }
    }

    private static string? Describe(int status, bool bearer) => status switch
    {
        401 when !bearer => "The credentials or the refresh token were not accepted.",
        400 => "The request is invalid: `errors` maps each field to what is wrong (a malformed body or path value has no field).",
        401 => "No valid access token: missing, expired, or its session has ended (WWW-Authenticate says which).",
        403 => "Signed in, but not allowed to do this.",
        404 => "No such resource, or one the caller may not see.",
        409 => "Conflicts with the current state.",
        413 => "The request body is larger than MAX_REQUEST_BODY_BYTES.",
        415 => "The request body must be JSON, sent with Content-Type: application/json.",
        429 => "Too many requests; Retry-After says how many seconds to wait.",
        _ => null,
    };

    private static void AddHeaders(OpenApiResponse response, int status)
    {
        switch (status)
        {
            case 401:
                response.Headers ??= new Dictionary<string, IOpenApiHeader>();
                response.Headers["WWW-Authenticate"] = new OpenApiHeader
                {
                    Description = "`Bearer`, with error=\"invalid_token\" and a description when a token was sent.",
                    Schema = new OpenApiSchema { Type = JsonSchemaType.String },
                };
                break;
            case 429:
                response.Headers ??= new Dictionary<string, IOpenApiHeader>();
                response.Headers["Retry-After"] = new OpenApiHeader
                {
                    Description = "Seconds to wait before trying again.",
                    Schema = new OpenApiSchema { Type = JsonSchemaType.Integer, Minimum = "1" },
                };
                break;
        }
    }

    // Query values bind as text so that a bad one gets the same worded 400 as any rule; the
    // contract states what they really are.
    private static void DescribeParameter(OpenApiParameter parameter)
    {
        switch (parameter.In, parameter.Name)
        {
            case (ParameterLocation.Query, "limit"):
                parameter.Description = "How many items to return, 1 to 100.";
                parameter.Schema = new OpenApiSchema { Type = JsonSchemaType.Integer, Format = "int32", Minimum = "1", Maximum = "100", Default = JsonValue.Create(50) };
                break;
            case (ParameterLocation.Query, "cursor"):
                parameter.Description = "The nextCursor of the previous page; omit it for the first page.";
                parameter.Schema = new OpenApiSchema { Type = JsonSchemaType.String };
                break;
            case (ParameterLocation.Query, "query"):
                parameter.Description = "Only items whose name (or email) starts with this text, case-insensitively.";
                parameter.Schema = new OpenApiSchema { Type = JsonSchemaType.String };
                break;
            case (ParameterLocation.Query, "mine"):
                parameter.Description = "true: only rooms the caller is a member of.";
                parameter.Schema = new OpenApiSchema { Type = JsonSchemaType.Boolean };
                break;
            case (ParameterLocation.Query, "before"):
                parameter.Description = "Messages with a seq lower than this, newest first. Not with `after`.";
                parameter.Schema = new OpenApiSchema { Type = JsonSchemaType.Integer, Format = "int64", Minimum = "0" };
                break;
            case (ParameterLocation.Query, "after"):
                parameter.Description = "Messages with a seq higher than this, oldest first: what a client that saw this seq missed. Not with `before`.";
                parameter.Schema = new OpenApiSchema { Type = JsonSchemaType.Integer, Format = "int64", Minimum = "0" };
                break;
            case (ParameterLocation.Header, "Idempotency-Key"):
                parameter.Description = "Any unique text up to 200 characters. A retry with the same key returns the original message (200) instead of posting it twice.";
                parameter.Schema = new OpenApiSchema { Type = JsonSchemaType.String, MinLength = 1, MaxLength = 200 };
                break;
        }
    }
}
