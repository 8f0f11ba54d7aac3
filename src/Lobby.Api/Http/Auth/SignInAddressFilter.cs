using Lobby.Api.Security;

namespace Lobby.Api.Http.Auth;

/// <summary>The per-address limit of the sign-in routes (AUTH_RATE_LIMIT_PER_IP), on the shared counter.</summary>
internal sealed class SignInAddressFilter(SignInRateLimiter limiter) : IEndpointFilter
{
    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var http = context.HttpContext;
        await limiter.AcquireForRouteAsync(http.Connection.RemoteIpAddress?.ToString(), http.RequestAborted);
        return await next(context);
    }
}
