using Lobby.Api.Config;
using Microsoft.Extensions.FileProviders;
using Microsoft.Extensions.Options;
using Microsoft.Net.Http.Headers;

namespace Lobby.Api.Http.WebApp;

/// <summary>
/// Serves the web client (web/, built by Vite) at /, from the folder WEB_ROOT names. Hashed files
/// under /assets never change, so browsers may keep them for good; index.html names them and must
/// be revalidated on every load, or a deploy would leave browsers on the old build. Any other path
/// that looks like a page (no dot) gets index.html, so client-side URLs survive a reload, but the
/// server's own prefixes keep their problem+json 404 for unknown routes.
/// </summary>
internal static class WebAppSetup
{
    // Vite emits every script and style as a file: nothing inline is needed. connect-src 'self' also
    // covers the same-origin hub over ws(s) (CSP Level 3); "ws: wss:" would let an injected script
    // carry the refresh token in localStorage to any host.
    private const string ContentSecurityPolicy =
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; "
        + "base-uri 'self'; form-action 'self'; frame-ancestors 'none'; object-src 'none'";

    private static readonly string[] ServerPrefixes = ["/api", "/health", "/docs", "/openapi", "/metrics", "/.well-known"];

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
        app.MapFallback("{*path:nonfile}", async context =>
        {
            if (!index.Exists || ServerPrefixes.Any(p => context.Request.Path.StartsWithSegments(p, StringComparison.OrdinalIgnoreCase)))
            {
                // Left empty: the status code pages write the usual problem+json 404.
                context.Response.StatusCode = StatusCodes.Status404NotFound;
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
}
