using Lobby.IntegrationTests.Infrastructure;

namespace Lobby.IntegrationTests.Rooms;

/// <summary>Lobby for room tests: posting limits out of the way except where a test lowers them.</summary>
public class RoomsFactory : LobbyFactory
{
    protected override IReadOnlyDictionary<string, string?> Settings => new Dictionary<string, string?> { ["MESSAGE_RATE_LIMIT_PER_MINUTE"] = "1000000" };
}
