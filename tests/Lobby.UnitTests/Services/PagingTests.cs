using Lobby.Api.Services;

namespace Lobby.UnitTests.Services;

public sealed class PagingTests
{
    [Fact]
    public void Defaults_to_50_from_the_start() => Assert.Equal(new PageRequest(null, 50), Paging.Parse(null, null));

    [Theory]
    [InlineData("0")]
    [InlineData("101")]
    [InlineData("-1")]
    [InlineData("+5")]
    [InlineData(" 5")]
    [InlineData("ten")]
    [InlineData("99999999999")]
    public void Limits_outside_1_to_100_are_refused(string limit)
    {
        var ex = Assert.Throws<ValidationFailedException>(() => Paging.Parse(null, limit));
        Assert.Contains("limit", ex.Errors.Keys);
    }

    [Fact]
    public void A_cursor_round_trips_and_garbage_is_refused()
    {
        var id = Guid.CreateVersion7();
        Assert.Equal(id, Paging.Parse(Paging.Encode(id), "1").After);

        foreach (var garbage in new[] { "x", "not-a-cursor-at-all!!!", new string('A', 23) })
        {
            var ex = Assert.Throws<ValidationFailedException>(() => Paging.Parse(garbage, null));
            Assert.Contains("cursor", ex.Errors.Keys);
        }
    }

    [Fact]
    public void Build_uses_the_extra_row_only_to_tell_that_more_exist()
    {
        var ids = Enumerable.Range(0, 4).Select(_ => Guid.CreateVersion7()).ToList();

        var full = Paging.Build(ids, 3, g => g);
        var last = Paging.Build(ids.Take(3).ToList(), 3, g => g);

        Assert.Equal(ids.Take(3), full.Items);
        Assert.Equal(Paging.Encode(ids[2]), full.NextCursor);
        Assert.Null(last.NextCursor);
    }
}
