using Lobby.Api.Http;

namespace Lobby.UnitTests.Http;

public sealed class RequestIdTests
{
    [Theory]
    [InlineData("abc-123", true)]
    [InlineData("0190a0b1-7c3e-7f00-8000-000000000000", true)]
    [InlineData("trace.id:part_2", true)]
    [InlineData("", false)]
    [InlineData(null, false)]
    [InlineData("has space", false)]
    [InlineData("new\nline", false)]
    [InlineData("quote\"", false)]
    [InlineData("é", false)]
    public void Only_short_ids_of_safe_characters_are_accepted(string? value, bool expected) =>
        Assert.Equal(expected, RequestIdMiddleware.IsAcceptable(value));

    [Fact]
    public void Ids_longer_than_64_are_refused() =>
        Assert.False(RequestIdMiddleware.IsAcceptable(new string('a', 65)));
}
