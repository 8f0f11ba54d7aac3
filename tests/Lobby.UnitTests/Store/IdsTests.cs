using Lobby.Api.Data;

namespace Lobby.UnitTests.Store;

public sealed class IdsTests
{
    [Fact]
    public void Ids_are_uuid_v7_and_grow_within_one_millisecond()
    {
        var ids = Enumerable.Range(0, 10_000).Select(_ => Ids.NewId()).ToList();

        // PostgreSQL orders uuid by its bytes, which is the order of the text form.
        Assert.Equal(ids, ids.OrderBy(g => g.ToString(), StringComparer.Ordinal));
        Assert.All(ids, g => Assert.Equal(7, g.Version));
        Assert.All(ids, g => Assert.Equal(0b10, g.ToByteArray(bigEndian: true)[8] >> 6));
    }
}
