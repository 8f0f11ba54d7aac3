using System.Net.Sockets;
using System.Net.WebSockets;
using System.Security.Cryptography;
using System.Text;

namespace Lobby.IntegrationTests.Realtime;

/// <summary>
/// A hostile live client: a raw WebSocket speaking SignalR's JSON protocol over a socket with a
/// tiny receive buffer, which subscribes and then never reads, so whatever the server sends
/// piles up on the server's side.
/// </summary>
internal sealed class StalledClient : IAsyncDisposable
{
    private const char RecordSeparator = '\u001e';
    private readonly WebSocket _socket;

    private StalledClient(WebSocket socket) => _socket = socket;

    public static async Task<StalledClient> ConnectAsync(string baseUrl, string accessToken)
    {
        var uri = new Uri(baseUrl);
        var tcp = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { ReceiveBufferSize = 4096 };
        await tcp.ConnectAsync(uri.Host, uri.Port);
        var stream = new NetworkStream(tcp, ownsSocket: true);
        var key = Convert.ToBase64String(RandomNumberGenerator.GetBytes(16));
        var upgrade = $"GET /api/v1/realtime?access_token={Uri.EscapeDataString(accessToken)} HTTP/1.1\r\nHost: {uri.Authority}\r\n"
            + $"Upgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: {key}\r\nSec-WebSocket-Version: 13\r\n\r\n";
        await stream.WriteAsync(Encoding.ASCII.GetBytes(upgrade));

        // The response head, byte by byte, so nothing after it is consumed.
        var head = new StringBuilder();
        var one = new byte[1];
        while (!head.ToString().EndsWith("\r\n\r\n", StringComparison.Ordinal))
        {
            if (await stream.ReadAsync(one) == 0)
            {
                throw new IOException("Connection closed during the WebSocket upgrade: " + head);
            }

            head.Append((char)one[0]);
        }

        Assert.StartsWith("HTTP/1.1 101", head.ToString(), StringComparison.Ordinal);
        var socket = WebSocket.CreateFromStream(stream, new WebSocketCreationOptions { IsServer = false, KeepAliveInterval = TimeSpan.Zero });
        var client = new StalledClient(socket);
        await client.SendAsync("{\"protocol\":\"json\",\"version\":1}");
        return client;
    }

    /// <summary>Subscribe as a non-blocking invocation: the client does not wait for (or read) an answer.</summary>
    public Task SubscribeAsync(Guid roomId, long afterSeq) =>
        SendAsync($"{{\"type\":1,\"target\":\"Subscribe\",\"arguments\":[\"{roomId}\",{afterSeq}]}}");

    /// <summary>Starts reading at last: true when the server has ended the connection within <paramref name="timeout"/>.</summary>
    public async Task<bool> EndsWithinAsync(TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        var buffer = new byte[64 * 1024];
        try
        {
            while (true)
            {
                var result = await _socket.ReceiveAsync(buffer, cts.Token);
                if (result.MessageType == WebSocketMessageType.Close)
                {
                    return true;
                }
            }
        }
        catch (OperationCanceledException)
        {
            return false;
        }
        catch (Exception ex) when (ex is WebSocketException or IOException)
        {
            return true; // reset or closed without a handshake: ended all the same
        }
    }

    public ValueTask DisposeAsync()
    {
        _socket.Abort();
        _socket.Dispose();
        return ValueTask.CompletedTask;
    }

    private Task SendAsync(string record) =>
        _socket.SendAsync(Encoding.UTF8.GetBytes(record + RecordSeparator), WebSocketMessageType.Text, true, CancellationToken.None);
}
