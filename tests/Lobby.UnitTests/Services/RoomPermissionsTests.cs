using Lobby.Api.Services.Rooms;

namespace Lobby.UnitTests.Services;

public sealed class RoomPermissionsTests
{
    private static readonly Guid Me = Guid.NewGuid();

    private static Actor As(string role) => new(Me, role);

    [Theory]
    [InlineData("public", null, "USER", true)]
    [InlineData("private", null, "USER", false)]
    [InlineData("private", "member", "USER", true)]
    [InlineData("private", null, "MODERATOR", true)]
    [InlineData("private", null, "ADMIN", true)]
    public void Who_sees_a_room(string visibility, string? myRole, string globalRole, bool expected) =>
        Assert.Equal(expected, RoomPermissions.CanSee("room", visibility, myRole, As(globalRole)));

    [Theory]
    [InlineData("member", "USER", true)]
    [InlineData(null, "USER", false)]
    [InlineData(null, "MODERATOR", false)]
    [InlineData(null, "ADMIN", false)]
    public void A_direct_message_exists_only_for_its_two_people(string? myRole, string globalRole, bool expected) =>
        Assert.Equal(expected, RoomPermissions.CanSee("dm", "private", myRole, As(globalRole)));

    [Theory]
    [InlineData("MODERATOR")]
    [InlineData("ADMIN")]
    public void Staff_do_not_moderate_direct_messages_even_as_participants(string globalRole)
    {
        Assert.False(RoomPermissions.CanDeleteMessage("dm", Guid.NewGuid(), "member", As(globalRole)));
        Assert.True(RoomPermissions.CanDeleteMessage("dm", Me, "member", As(globalRole)));
        Assert.True(RoomPermissions.CanDeleteMessage("room", Guid.NewGuid(), "member", As(globalRole)));
    }

    [Fact]
    public void Only_members_post_whatever_their_global_role()
    {
        Assert.True(RoomPermissions.CanPost("member"));
        Assert.True(RoomPermissions.CanPost("owner"));
        Assert.False(RoomPermissions.CanPost(null));
    }

    [Theory]
    [InlineData("owner", "USER", true, true)]
    [InlineData("member", "USER", false, false)]
    [InlineData(null, "MODERATOR", true, false)]
    [InlineData(null, "ADMIN", true, true)]
    public void Editing_and_deleting_rooms(string? myRole, string globalRole, bool edit, bool delete)
    {
        Assert.Equal(edit, RoomPermissions.CanEditRoom(myRole, As(globalRole)));
        Assert.Equal(delete, RoomPermissions.CanDeleteRoom(myRole, As(globalRole)));
    }

    [Fact]
    public void Messages_are_deleted_by_their_author_the_owner_or_staff()
    {
        var someoneElse = Guid.NewGuid();
        Assert.True(RoomPermissions.CanDeleteMessage("room", Me, "member", As("USER")));
        Assert.False(RoomPermissions.CanDeleteMessage("room", someoneElse, "member", As("USER")));
        Assert.True(RoomPermissions.CanDeleteMessage("room", someoneElse, "owner", As("USER")));
        Assert.True(RoomPermissions.CanDeleteMessage("room", someoneElse, null, As("MODERATOR")));
    }
}
