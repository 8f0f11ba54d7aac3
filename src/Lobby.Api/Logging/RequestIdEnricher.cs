using Serilog.Core;
using Serilog.Events;

namespace Lobby.Api.Logging;

/// <summary>
/// Sets RequestId, on every event logged while a request is handled, to the id the response
/// carries. Pushed onto Serilog's LogContext by RequestIdMiddleware. A plain LogContext property
/// is not enough: ASP.NET's hosting scope adds its own RequestId (the connection id) to events
/// that go through Microsoft.Extensions.Logging, and LogContext properties never replace one.
/// </summary>
internal sealed class RequestIdEnricher(string requestId) : ILogEventEnricher
{
    private LogEventProperty? _property;

    public void Enrich(LogEvent logEvent, ILogEventPropertyFactory propertyFactory) =>
        logEvent.AddOrUpdateProperty(_property ??= propertyFactory.CreateProperty("RequestId", requestId));
}
