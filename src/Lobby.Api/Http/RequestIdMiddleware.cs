using System.Buffers;
using Lobby.Api.Logging;
using Serilog.Context;

namespace Lobby.Api.Http;

/// <summary>
/// Gives every request an id: the caller's X-Request-ID when it is short and made of safe
/// characters (so it cannot forge log lines or bloat them), a fresh one otherwise. The id
/// becomes HttpContext.TraceIdentifier, the response header, a property on every log line
/// of the request and the requestId of every problem+json body.
/// </summary>
internal sealed class RequestIdMiddleware(RequestDelegate next)
{
    public const string HeaderName = "X-Request-ID";
    public const int MaxLength = 64;

    private static readonly SearchValues<char> Safe =
        SearchValues.Create("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_.:");

    public async Task InvokeAsync(HttpContext context)
    {
        var incoming = context.Request.Headers[HeaderName];
        var id = incoming.Count == 1 && IsAcceptable(incoming[0]) ? incoming[0]! : Guid.CreateVersion7().ToString("N");

        context.TraceIdentifier = id;
        // Set when the response starts: the exception handler clears headers set earlier.
        context.Response.OnStarting(() =>
        {
            context.Response.Headers[HeaderName] = id;
            return Task.CompletedTask;
        });
        using (LogContext.Push(new RequestIdEnricher(id)))
        {
            await next(context);
        }
    }

    public static bool IsAcceptable(string? value) =>
        !string.IsNullOrEmpty(value) && value.Length <= MaxLength && !value.AsSpan().ContainsAnyExcept(Safe);
}
