using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;

namespace Lobby.IntegrationTests.Infrastructure;

/// <summary>A response that breaks the committed contract; thrown to the test that sent the request.</summary>
public sealed class ContractViolationException(string message) : Exception(message);

/// <summary>
/// Checks every response the integration tests produce against api/openapi/openapi.yaml. It wraps
/// the whole pipeline (outside the exception handler, so problem bodies are checked too), holds
/// the body back, and on a violation throws instead of answering: TestServer hands the exception
/// to the HttpClient call, so the test that produced the response fails with the reason.
/// </summary>
internal sealed class ContractCheckMiddleware(RequestDelegate next)
{
    public async Task InvokeAsync(HttpContext context)
    {
        var contract = ContractDocument.Current;
        var op = context.WebSockets.IsWebSocketRequest ? null : contract.Find(context.Request.Method, context.Request.Path);
        if (op is null)
        {
            await next(context);
            return;
        }

        var original = context.Response.Body;
        using var buffer = new MemoryStream();
        context.Response.Body = buffer;
        try
        {
            await next(context);
        }
        finally
        {
            context.Response.Body = original;
        }

        // 499: the client went away; nobody reads that answer.
        if (context.Response.StatusCode != 499
            && contract.Check(op, context.Response.StatusCode, context.Response.ContentType, buffer.GetBuffer().AsSpan(0, (int)buffer.Length)) is { } problem)
        {
            throw new ContractViolationException(
                $"Response breaks {ContractDocument.RelativePath}: {op.OperationId} ({context.Request.Method} {context.Request.Path}): {problem}. "
                + $"Body: {System.Text.Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)Math.Min(buffer.Length, 600))}");
        }

        buffer.Position = 0;
        await buffer.CopyToAsync(original, context.RequestAborted);
    }
}

internal sealed class ContractCheckStartupFilter : IStartupFilter
{
    public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
    {
        app.UseMiddleware<ContractCheckMiddleware>();
        next(app);
    };
}
