using Lobby.Api.Config;
using Microsoft.Extensions.Options;

namespace Lobby.Api.Http;

/// <summary>
/// Rejects a declared oversized body before anything reads it. Kestrel's own limit
/// (configured below) still guards chunked bodies that declare no length.
/// </summary>
internal sealed class RequestSizeLimitMiddleware(RequestDelegate next, IOptions<LobbyOptions> options)
{
    public Task InvokeAsync(HttpContext context)
    {
        var limit = options.Value.MaxRequestBodyBytes;
        if (context.Request.ContentLength > limit)
        {
            throw new BadHttpRequestException($"The request body exceeds {limit} bytes.", StatusCodes.Status413PayloadTooLarge);
        }

        return next(context);
    }
}
