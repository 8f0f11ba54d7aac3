using System.Buffers;
using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text.RegularExpressions;
using MimeKit;
using SmtpServer;
using SmtpServer.Authentication;
using SmtpServer.ComponentModel;
using SmtpServer.Protocol;
using SmtpServer.Storage;

namespace Lobby.IntegrationTests.Infrastructure;

/// <summary>
/// A real SMTP server in the test process (the SmtpServer package) on a loopback port, requiring
/// AUTH with <see cref="User"/>/<see cref="Password"/>: what Lobby sends is parsed back with MimeKit.
/// It can be created stopped, to play an SMTP outage, and started later on the same port.
/// </summary>
public sealed partial class SmtpSink : IAsyncDisposable
{
    public const string User = "lobby-mailer";
    public const string Password = "p@ss:word/1";

    private readonly ConcurrentQueue<MimeMessage> _messages = new();
    private TaskCompletionSource _arrival = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private CancellationTokenSource? _stop;
    private SmtpServer.SmtpServer? _server;

    private SmtpSink(int port) => Port = port;

    public int Port { get; }

    /// <summary>SMTP_URL for Lobby, with the credentials URL-encoded.</summary>
    public string Url => $"smtp://{User}:{Uri.EscapeDataString(Password)}@127.0.0.1:{Port}";

    public IReadOnlyList<MimeMessage> Messages => [.. _messages];

    public static SmtpSink Create() => new(FreePort());

    public static SmtpSink Running()
    {
        var sink = Create();
        sink.Start();
        return sink;
    }

    public void Start()
    {
        var options = new SmtpServerOptionsBuilder()
            .ServerName("sink.test")
            .Endpoint(e => e.Endpoint(new IPEndPoint(IPAddress.Loopback, Port)).AuthenticationRequired(true).AllowUnsecureAuthentication(true))
            .Build();
        var services = new ServiceProvider();
        services.Add(new Store(this));
        services.Add(new DelegatingUserAuthenticator((user, password) => user == User && password == Password));
        _stop = new CancellationTokenSource();
        _server = new SmtpServer.SmtpServer(options, services);
        _ = _server.StartAsync(_stop.Token);
    }

    public IReadOnlyList<MimeMessage> To(string address) =>
        [.. _messages.Where(m => m.To.Mailboxes.Any(b => string.Equals(b.Address, address, StringComparison.OrdinalIgnoreCase)))];

    /// <summary>The first mail to <paramref name="address"/> whose subject contains <paramref name="subject"/>, waiting for it to arrive.</summary>
    public async Task<MimeMessage> WaitForAsync(string address, string subject, TimeSpan? timeout = null)
    {
        using var cts = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(30));
        while (true)
        {
            var next = Volatile.Read(ref _arrival);
            var found = To(address).FirstOrDefault(m => (m.Subject ?? "").Contains(subject, StringComparison.OrdinalIgnoreCase));
            if (found is not null)
            {
                return found;
            }

            try
            {
                await next.Task.WaitAsync(cts.Token);
            }
            catch (OperationCanceledException)
            {
                throw new TimeoutException($"no mail \"{subject}\" to {address}; got: {string.Join(", ", _messages.Select(m => $"{m.To} {m.Subject}"))}");
            }
        }
    }

    /// <summary>The token of the Lobby link in a mail (text part), and the link itself.</summary>
    public static (string Link, string Token) LinkIn(MimeMessage mail)
    {
        var match = LinkPattern().Match(mail.TextBody ?? "");
        Assert.True(match.Success, "no Lobby link in the mail: " + mail.TextBody);
        return (match.Value, match.Groups["token"].Value);
    }

    public async ValueTask DisposeAsync()
    {
        if (_stop is not null)
        {
            await _stop.CancelAsync();
            _server?.Shutdown();
            _stop.Dispose();
        }

    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    [GeneratedRegex(@"https?://\S+?#/[a-z-]+\?token=(?<token>[A-Za-z0-9_-]{43})")]
    private static partial Regex LinkPattern();

    private sealed class Store(SmtpSink sink) : MessageStore
    {
        public override async Task<SmtpResponse> SaveAsync(ISessionContext context, IMessageTransaction transaction, ReadOnlySequence<byte> buffer, CancellationToken cancellationToken)
        {
            await using var stream = new MemoryStream(buffer.ToArray());
            sink._messages.Enqueue(await MimeMessage.LoadAsync(stream, cancellationToken));
            Interlocked.Exchange(ref sink._arrival, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).TrySetResult();
            return SmtpResponse.Ok;
        }
    }
}
