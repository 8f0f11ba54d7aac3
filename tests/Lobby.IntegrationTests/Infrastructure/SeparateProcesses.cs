namespace Lobby.IntegrationTests.Infrastructure;

/// <summary>
/// Test classes that each start one or more Lobby processes just to read their output or exit
/// code, or several of them per test (replicas, outages, a stalled-client load). They run after
/// the parallel classes, one at a time, so their startups (a second of CPU each) do not eat into
/// the time budget of timing-bound tests such as token expiry, and their own time bounds (a
/// revocation reaching the other replica within a second) are measured on a box they have to themselves.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class SeparateProcesses
{
    public const string Name = "Separate Lobby processes, not in parallel";
}
