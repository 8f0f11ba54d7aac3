using System.Net;
using System.Net.Sockets;
using System.Text;
using Lobby.Api.Config;
using Lobby.Api.Data.Accounts;
using Lobby.Api.Services.Mail;
using Microsoft.Extensions.Options;

namespace Lobby.UnitTests.Services;

/// <summary>
/// What the SMTP transport reports when the server goes away in the middle of a batch: the mails
/// the server accepted are reported sent, so the outbox never sends them a second time.
/// The server is a real socket speaking just enough SMTP, scripted to fail at one point.
/// </summary>
public sealed class SmtpMailTransportTests
{
    [Fact]
    public async Task A_connection_lost_mid_batch_keeps_what_was_accepted_and_retries_only_the_rest()
    {
        await using var server = ScriptedSmtp.Start(acceptMessages: 1, answerQuit: true);
        var results = await Transport(server.Port).SendAsync(Batch(3), CancellationToken.None);

        Assert.Null(results[0]);
        Assert.NotNull(results[1]);
        Assert.NotNull(results[2]);
        Assert.Equal(1, server.Accepted);
    }

    [Fact]
    public async Task A_failed_goodbye_after_every_mail_was_accepted_reports_them_all_sent()
    {
        await using var server = ScriptedSmtp.Start(acceptMessages: 2, answerQuit: false);
        var results = await Transport(server.Port).SendAsync(Batch(2), CancellationToken.None);

        Assert.All(results, Assert.Null);
        Assert.Equal(2, server.Accepted);
    }

    [Fact]
    public async Task A_server_that_cannot_be_reached_fails_the_whole_batch()
    {
        int port;
        using (var probe = new TcpListener(IPAddress.Loopback, 0))
        {
            probe.Start();
            port = ((IPEndPoint)probe.LocalEndpoint).Port;
        }

        await Assert.ThrowsAnyAsync<SocketException>(() => Transport(port).SendAsync(Batch(2), CancellationToken.None));
    }

    private static SmtpMailTransport Transport(int port) => new(Options.Create(new LobbyOptions
    {
        Mail = new MailSettings
        {
            Mode = MailMode.Smtp,
            Smtp = new SmtpUrl("127.0.0.1", port, SmtpSecurity.StartTlsWhenAvailable, null, null),
            From = "Lobby <no-reply@example.test>",
        },
    }));

    private static List<OutboxMail> Batch(int count) =>
        [.. Enumerable.Range(1, count).Select(i => new OutboxMail(Guid.NewGuid(), $"person{i}@example.test", $"Mail {i}", "text", "<p>html</p>", 1))];

    /// <summary>Answers EHLO, MAIL, RCPT and DATA; accepts the first N messages, then drops the connection.</summary>
    private sealed class ScriptedSmtp : IAsyncDisposable
    {
        private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
        private readonly int _acceptMessages;
        private readonly bool _answerQuit;
        private readonly Task _serving;
        private int _accepted;

        private ScriptedSmtp(int acceptMessages, bool answerQuit)
        {
            _acceptMessages = acceptMessages;
            _answerQuit = answerQuit;
            _listener.Start();
            _serving = ServeAsync();
        }

        public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

        public int Accepted => Volatile.Read(ref _accepted);

        public static ScriptedSmtp Start(int acceptMessages, bool answerQuit) => new(acceptMessages, answerQuit);

        private async Task ServeAsync()
        {
            using var socket = await _listener.AcceptTcpClientAsync();
            await using var stream = socket.GetStream();
            using var reader = new StreamReader(stream, Encoding.ASCII);
            await using var writer = new StreamWriter(stream, Encoding.ASCII) { NewLine = "\r\n", AutoFlush = true };
            await writer.WriteLineAsync("220 scripted.test ESMTP");
            while (await reader.ReadLineAsync() is { } line)
            {
                var verb = line.Split(' ', 2)[0].ToUpperInvariant();
                switch (verb)
                {
                    case "EHLO" or "HELO":
                        await writer.WriteLineAsync("250 scripted.test");
                        break;
                    case "MAIL" or "RCPT" or "RSET" or "NOOP":
                        await writer.WriteLineAsync("250 ok");
                        break;
                    case "DATA":
                        await writer.WriteLineAsync("354 go ahead");
                        while (await reader.ReadLineAsync() is { } data && data != ".")
                        {
                        }

                        if (_accepted == _acceptMessages)
                        {
                            return; // the connection drops instead of answering
                        }

                        Interlocked.Increment(ref _accepted);
                        await writer.WriteLineAsync("250 queued");
                        break;
                    case "QUIT":
                        if (_answerQuit)
                        {
                            await writer.WriteLineAsync("221 bye");
                        }

                        return;
                    default:
                        await writer.WriteLineAsync("502 not here");
                        break;
                }
            }
        }

        public async ValueTask DisposeAsync()
        {
            _listener.Stop();
            try
            {
                await _serving;
            }
            catch (Exception ex) when (ex is IOException or SocketException or ObjectDisposedException)
            {
            }
        }
    }
}
