using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Lobby.Api.Http.Health;

/// <summary>Not ready from the moment shutdown starts, so load balancers stop sending new work while in-flight requests drain.</summary>
internal sealed class ShutdownReadinessCheck(IHostApplicationLifetime lifetime) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken) =>
        Task.FromResult(lifetime.ApplicationStopping.IsCancellationRequested
            ? HealthCheckResult.Unhealthy("shutting down")
            : HealthCheckResult.Healthy("running"));
}
