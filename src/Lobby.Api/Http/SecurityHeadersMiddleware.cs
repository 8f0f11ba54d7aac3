namespace Lobby.Api.Http;

/// <summary>
/// Headers every API response carries: no MIME sniffing, no framing, no referrer leaks, and no
/// caching of anything answered to a signed-in caller (a shared cache must never replay it).
/// </summary>
internal sealed class SecurityHeadersMiddleware(RequestDelegate next)
{
    public Task InvokeAsync(HttpContext context)
    {
        context.Response.OnStarting(() =>
        {
            var headers = context.Response.Headers;
            headers.XContentTypeOptions = "nosniff";
            headers.XFrameOptions = "DENY";
            headers["Referrer-Policy"] = "no-referrer";
            // Endpoints that may be cached say so (JWKS); everything else, authenticated answers first, is no-store.
            if (headers.CacheControl.Count == 0)
            {
                headers.CacheControl = "no-store";
            }

            return Task.CompletedTask;
        });
        return next(context);
    }
}
