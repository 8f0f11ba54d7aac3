using Lobby.Api.Config;
using Lobby.Api.Store;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;

namespace Lobby.Api.Http.Health;

/// <summary>
/// With REDIS_URL: is this replica connected to the Redis its peers share? Without it the replica
/// still serves every request and posts as fast, but live events from other replicas, shared
/// presence and shared limits wait for Redis. So by default readiness stays 200 and says
/// "degraded" (taking every replica out at once during a Redis outage would be worse); with
/// READINESS_REQUIRES_REDIS=true it answers 503 so a load balancer drains the replica.
/// </summary>
internal sealed class BackplaneReadinessCheck(SharedRedis redis, IOptions<LobbyOptions> options) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken)
    {
        if (redis.IsConnected)
        {
            return Task.FromResult(HealthCheckResult.Healthy("redis connected"));
        }

        const string Lost = "redis unreachable: live events from other replicas, shared presence and shared limits are paused";
        return Task.FromResult(options.Value.ReadinessRequiresRedis ? HealthCheckResult.Unhealthy(Lost) : HealthCheckResult.Degraded(Lost));
    }
}
