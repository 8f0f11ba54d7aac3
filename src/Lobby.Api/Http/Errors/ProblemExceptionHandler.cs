using System.Text.Json;
using Lobby.Api.Store;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Mvc;

namespace Lobby.Api.Http.Errors;

/// <summary>
/// The one place exceptions become responses. Known kinds map to their status with a message
/// that helps the caller; anything else is a 500 that leaks nothing but is logged in full.
/// </summary>
internal sealed class ProblemExceptionHandler(IProblemDetailsService problems, ILogger<ProblemExceptionHandler> logger)
    : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext context, Exception exception, CancellationToken ct)
    {
        var (status, title, detail) = Describe(exception);
        if (status >= 500 && status != StatusCodes.Status503ServiceUnavailable)
        {
            logger.LogError(exception, "Unhandled exception on {Method} {Path}", context.Request.Method, context.Request.Path);
        }
        else if (status == StatusCodes.Status503ServiceUnavailable)
        {
            logger.LogWarning("Database unavailable: {Reason}", exception.InnerException?.Message);
            context.Response.Headers.RetryAfter = "5";
        }

        context.Response.StatusCode = status;
        return await problems.TryWriteAsync(new ProblemDetailsContext
        {
            HttpContext = context,
            Exception = exception,
            ProblemDetails = new ProblemDetails { Status = status, Title = title, Detail = detail },
        });
    }

    internal static (int Status, string Title, string Detail) Describe(Exception exception) => exception switch
    {
        BadHttpRequestException { StatusCode: StatusCodes.Status413PayloadTooLarge } tooLarge =>
            (413, "Payload too large", tooLarge.Message.Contains("exceeds", StringComparison.Ordinal)
                ? tooLarge.Message
                : "The request body is larger than this server accepts."),
        BadHttpRequestException { InnerException: JsonException json } =>
            (400, "Malformed JSON", DescribeJson(json)),
        BadHttpRequestException bad when bad.StatusCode == StatusCodes.Status415UnsupportedMediaType =>
            (415, "Unsupported media type", "The request body must be JSON, sent with Content-Type: application/json."),
        BadHttpRequestException bad =>
            (bad.StatusCode, "Bad request", bad.Message),
        DatabaseUnavailableException =>
            (503, "Service unavailable", "The database is unavailable; retry shortly."),
        OperationCanceledException =>
            (499, "Client closed request", "The request was cancelled."),
        _ => (500, "Internal server error", "An unexpected error occurred. Quote the requestId when reporting it."),
    };

    // JsonException messages name .NET types; the path and position are what a caller needs.
    private static string DescribeJson(JsonException json)
    {
        var where = json.Path is { Length: > 0 } path ? $" at {path}" : "";
        var position = json.LineNumber is { } line
            ? $" (line {line + 1}, byte {json.BytePositionInLine.GetValueOrDefault() + 1})"
            : "";
        var what = json.InnerException is null && json.Message.Contains("could not be converted", StringComparison.Ordinal)
            ? "has a value of the wrong type"
            : "is not valid JSON";
        return $"The request body {what}{where}{position}.";
    }
}
