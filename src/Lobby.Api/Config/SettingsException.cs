namespace Lobby.Api.Config;

/// <summary>A setting is missing or malformed. The message is one line naming the variable.</summary>
internal sealed class SettingsException(string message) : Exception(message);
