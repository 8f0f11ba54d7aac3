using Lobby.Api.Config;
using Microsoft.Extensions.FileProviders;
using Microsoft.Extensions.Options;
using Microsoft.Net.Http.Headers;

namespace Lobby.Api.Http.WebApp;

/// <summary>
/// Serves the web client (web/, built by Vite) at /, from the folder WEB_ROOT names. Hashed files
/// under /assets never change, so browsers may keep them for good; index.html names them and must
/// be revalidated on every load, or a deploy would leave browsers on the old build. Any other path
/// that looks like a page (no dot) gets index.html on GET or HEAD, so client-side URLs survive a
/// reload. The server's own prefixes never get the page, and no request that matched an endpoint
/// does, so routing's own answers stay (405 with Allow for a wrong method, 415 for a body that is
/// not JSON, problem+json 404 for an unknown route).
/// </summary>
internal static class WebAppSetup
{
    // Vite emits every script and style as a file: nothing inline is needed. connect-src 'self' also
    // covers the same-origin hub over ws(s) (CSP Level 3); "ws: wss:" would let an injected script
    // carry the refresh token in localStorage to any host.
    private const string ContentSecurityPolicy =
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; "
        + "base-uri 'self'; form-action 'self'; frame-ancestors 'none'; object-src 'none'";

    private static readonly string[] ServerPrefixes = ["api", "health", "docs", "openapi", "metrics", ".well-known"];

    public static WebApplication UseLobbyWebApp(this WebApplication app)
    {
        var root = app.Services.GetRequiredService<IOptions<LobbyOptions>>().Value.WebRoot;
        if (root is null)
        {
            return app;
        }

        var files = new PhysicalFileProvider(root);
        app.UseDefaultFiles(new DefaultFilesOptions { FileProvider = files });
        app.UseStaticFiles(new StaticFileOptions { FileProvider = files, OnPrepareResponse = c => SetHeaders(c.Context) });

        var index = files.GetFileInfo("index.html");
        // Not a fallback route: even one that refuses the server's prefixes is a routing candidate
        // everywhere, so its methods would leak into every 405's Allow. This runs after routing
        // and only when no endpoint matched.
        app.Use(async (context, next) =>
        {
            if (context.GetEndpoint() is not null || !index.Exists || !IsPage(context.Request))
            {
                await next(context);
                return;
            }

            SetHeaders(context);
            context.Response.ContentType = "text/html; charset=utf-8";
            await context.Response.SendFileAsync(index, context.RequestAborted);
        });
        return app;
    }

    private static void SetHeaders(HttpContext context)
    {
        var headers = context.Response.Headers;
        var immutable = context.Request.Path.StartsWithSegments("/assets", StringComparison.Ordinal);
        headers.CacheControl = immutable ? "public, max-age=31536000, immutable" : "no-cache";
        if (!immutable)
        {
            headers[HeaderNames.ContentSecurityPolicy] = ContentSecurityPolicy;
        }
    }

    // A client-side page: read with GET or HEAD, no file extension, outside the server's own prefixes.
    private static bool IsPage(HttpRequest request)
    {
        if (!HttpMethods.IsGet(request.Method) && !HttpMethods.IsHead(request.Method))
        {
            return false;
        }

        var path = request.Path.Value?.Trim('/') ?? "";
        var slash = path.IndexOf('/', StringComparison.Ordinal);
        var first = slash < 0 ? path : path[..slash];
        return !ServerPrefixes.Contains(first, StringComparer.OrdinalIgnoreCase) && !path[(path.LastIndexOf('/') + 1)..].Contains('.', StringComparison.Ordinal);
    }
}
