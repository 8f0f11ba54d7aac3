using System.Globalization;
using System.Text.Json;
using Lobby.Api.Services;
using Lobby.Api.Store;
using Npgsql;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Mvc;

namespace Lobby.Api.Http.Errors;

/// <summary>
/// The one place exceptions become responses. Service errors and known framework failures map
/// to their status with a message that helps the caller; anything else is a 500 that leaks
/// nothing but is logged in full with the request id.
/// </summary>
internal sealed class ProblemExceptionHandler(IProblemDetailsService problems, ILogger<ProblemExceptionHandler> logger)
    : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext context, Exception exception, CancellationToken ct)
    {
        var problem = Describe(exception);
        switch (problem.Status)
        {
            case StatusCodes.Status503ServiceUnavailable:
                logger.LogWarning("Service unavailable: {Reason}", exception.InnerException?.Message ?? exception.Message);
                context.Response.Headers.RetryAfter = "5";
                break;
            case >= 500:
                logger.LogError(exception, "Unhandled exception on {Method} {Path}", context.Request.Method, context.Request.Path);
                break;
        }

        if (exception is RateLimitedException limited)
        {
            context.Response.Headers.RetryAfter = Math.Max(1, (int)Math.Ceiling(limited.RetryAfter.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
        }

        context.Response.StatusCode = problem.Status ?? 500;
        return await problems.TryWriteAsync(new ProblemDetailsContext { HttpContext = context, Exception = exception, ProblemDetails = problem });
    }

    internal static ProblemDetails Describe(Exception exception) => exception switch
    {
        ValidationFailedException invalid => Validation(invalid.Errors),
        NotFoundException e => Problem(404, "Not found", e.Message),
        ConflictException e => Problem(409, "Conflict", e.Message),
        UnauthorizedException e => Problem(401, "Unauthorized", e.Message),
        ForbiddenException e => Problem(403, "Forbidden", e.Message),
        RateLimitedException e => Problem(429, "Too many requests", e.Message),
        ServiceBusyException e => Problem(503, "Service busy", e.Message),
        FeatureUnavailableException e => Problem(503, "Not available on this server", e.Message),
        DatabaseUnavailableException => Problem(503, "Service unavailable", "The database is unavailable; retry shortly."),
        // Statement timeout or cancellation on the server, or a connection that broke mid-query
        // (database restarted): the caller's request may be retried, it is not a bug.
        PostgresException { SqlState: "57014" or "57P01" or "57P02" or "57P03" or "53300" } =>
            Problem(503, "Service unavailable", "The database could not answer in time; retry shortly."),
        NpgsqlException and not PostgresException => Problem(503, "Service unavailable", "The database is unavailable; retry shortly."),
        BadHttpRequestException { StatusCode: 413 } e => Problem(413, "Payload too large",
            e.Message.Contains("exceeds", StringComparison.Ordinal) ? e.Message : "The request body is larger than this server accepts."),
        BadHttpRequestException { InnerException: JsonException json } => DescribeJson(json),
        BadHttpRequestException { StatusCode: 415 } => Problem(415, "Unsupported media type", "The request body must be JSON, sent with Content-Type: application/json."),
        BadHttpRequestException e when e.Message.Contains("no body was provided", StringComparison.Ordinal) =>
            Problem(400, "Bad request", "The request body is required: send a JSON object."),
        BadHttpRequestException e when e.Message.StartsWith("Failed to bind parameter", StringComparison.Ordinal) =>
            Problem(400, "Bad request", DescribeBinding(e.Message)),
        BadHttpRequestException e => Problem(e.StatusCode, "Bad request", e.Message),
        OperationCanceledException => Problem(499, "Client closed request", "The request was cancelled."),
        _ => Problem(500, "Internal server error", "An unexpected error occurred. Quote the requestId when reporting it."),
    };

    private static ProblemDetails Problem(int status, string title, string detail) =>
        new() { Status = status, Title = title, Detail = detail };

    private static HttpValidationProblemDetails Validation(IReadOnlyDictionary<string, string[]> errors) =>
        new(errors.ToDictionary(e => e.Key, e => e.Value))
        {
            Status = 400,
            Title = "Validation failed",
            Detail = string.Join(" ", errors.SelectMany(e => e.Value)),
        };

    // JsonException messages name .NET types; the JSON path and position are what a caller needs.
    private static ProblemDetails DescribeJson(JsonException json)
    {
        var path = string.IsNullOrEmpty(json.Path) ? "$" : json.Path;
        var field = FieldOf(path);
        var position = json.LineNumber is { } line
            ? $" (line {line + 1}, byte {json.BytePositionInLine.GetValueOrDefault() + 1})"
            : "";
        if (json.Message.Contains("could not be mapped to any .NET member", StringComparison.Ordinal))
        {
            var name = ExtractQuoted(json.Message) ?? field;
            return Validation(new Dictionary<string, string[]> { [name] = [$"'{name}' is not a field this endpoint accepts."] });
        }

        if (json.Message.Contains("could not be converted", StringComparison.Ordinal) && field.Length > 0)
        {
            return Validation(new Dictionary<string, string[]> { [field] = [$"'{field}' has a value of the wrong type{position}."] });
        }

        return Problem(400, "Malformed JSON", $"The request body is not valid JSON at {path}{position}.");
    }

    private static string FieldOf(string path) =>
        path.StartsWith("$.", StringComparison.Ordinal) ? path[2..].Split('.', '[')[0] : "";

    private static string? ExtractQuoted(string message)
    {
        var start = message.IndexOf('\'', StringComparison.Ordinal);
        var end = start < 0 ? -1 : message.IndexOf('\'', start + 1);
        return end > start ? message[(start + 1)..end] : null;
    }

    // "Failed to bind parameter "Guid id" from "abc"." -> name the parameter without its .NET type.
    private static string DescribeBinding(string message)
    {
        var quoted = message.Split('"');
        var name = quoted.Length > 1 ? quoted[1].Split(' ')[^1] : "a parameter";
        return $"The value given for '{name}' is not valid.";
    }
}
