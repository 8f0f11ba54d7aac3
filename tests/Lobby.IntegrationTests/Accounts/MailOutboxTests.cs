using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using Lobby.IntegrationTests.Infrastructure;
using Npgsql;

namespace Lobby.IntegrationTests.Accounts;

/// <summary>
/// The outbox with real Lobby processes: mail queued while SMTP is down, or by a process killed
/// with SIGKILL before or while it was sending, arrives once SMTP (or another process) is back,
/// exactly once.
/// </summary>
[Collection(SeparateProcesses.Name)]
public sealed class MailOutboxTests : IAsyncLifetime
{
    private string _database = "";

    public async Task InitializeAsync() => _database = await TestDatabase.CreateMigratedAsync();

    public Task DisposeAsync() => TestDatabase.DropAsync(_database);

    [Fact]
    public async Task Mail_queued_during_an_smtp_outage_is_delivered_once_smtp_is_back()
    {
        await using var smtp = SmtpSink.Create();
        await using var lobby = await LobbyProcess.StartAsync(_database, Settings(smtp));
        var auth = await AuthApi.RegisterAsync(lobby.Http);

        // SMTP refuses connections: the mail stays queued and is retried.
        await WaitForAsync(async () => await AttemptsAsync(auth.User.Email) >= 2, "two failed attempts");
        Assert.Empty(smtp.Messages);

        smtp.Start();
        var mail = await smtp.WaitForAsync(auth.User.Email, "Confirm your email");
        // A second mail, queued after the first was delivered, proves the sender ran again since: still one of the first.
        var other = await AuthApi.RegisterAsync(lobby.Http);
        await smtp.WaitForAsync(other.User.Email, "Confirm your email");
        Assert.Single(smtp.To(auth.User.Email));
        Assert.Equal($"{await OutboxIdAsync(auth.User.Email):N}@lobby", mail.MessageId);
        Assert.True(await SentAsync(auth.User.Email));
        Assert.DoesNotContain(SmtpSink.LinkIn(mail).Token, string.Join("\n", lobby.Output), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Mail_queued_by_a_killed_process_is_sent_by_the_next_one_exactly_once()
    {
        await using var smtp = SmtpSink.Create();
        TestAuth auth;
        string firstOutput;
        await using (var doomed = await LobbyProcess.StartAsync(_database, Settings(smtp)))
        {
            auth = await AuthApi.RegisterAsync(doomed.Http);
            using var forgot = await doomed.Http.PostAsJsonAsync("/api/v1/auth/password/forgot", new { email = auth.User.Email });
            Assert.Equal(202, (int)forgot.StatusCode);
            await WaitForAsync(async () => await AttemptsAsync(auth.User.Email) >= 1, "an attempt by the first process");
            await doomed.CrashAsync();
            firstOutput = string.Join("\n", doomed.Output);
        }

        smtp.Start();
        await using var next = await LobbyProcess.StartAsync(_database, Settings(smtp));
        var verify = await smtp.WaitForAsync(auth.User.Email, "Confirm your email");
        var reset = await smtp.WaitForAsync(auth.User.Email, "Reset your Lobby password");
        var probe = await AuthApi.RegisterAsync(next.Http);
        await smtp.WaitForAsync(probe.User.Email, "Confirm your email");

        Assert.Equal(2, smtp.To(auth.User.Email).Count);
        var output = firstOutput + string.Join("\n", next.Output);
        Assert.DoesNotContain(SmtpSink.LinkIn(verify).Token, output, StringComparison.Ordinal);
        Assert.DoesNotContain(SmtpSink.LinkIn(reset).Token, output, StringComparison.Ordinal);
        Assert.DoesNotContain(SmtpSink.Password, output, StringComparison.Ordinal);

        using var redeem = await next.Http.PostAsJsonAsync("/api/v1/auth/password/reset", new { token = SmtpSink.LinkIn(reset).Token, newPassword = "after the crash 2027" });
        Assert.Equal(204, (int)redeem.StatusCode);
    }

    [Fact]
    public async Task Mail_a_killed_process_was_sending_goes_out_once_its_lease_runs_out()
    {
        // A server that takes the connection and never greets: the sender holds its lease, waiting.
        using var silent = new TcpListener(IPAddress.Loopback, 0);
        silent.Start();
        var accepted = silent.AcceptTcpClientAsync();
        var silentUrl = $"smtp://{SmtpSink.User}:x@127.0.0.1:{((IPEndPoint)silent.LocalEndpoint).Port}";
        TestAuth auth;
        DateTime leasedUntil;
        await using (var doomed = await LobbyProcess.StartAsync(_database, Settings(silentUrl)))
        {
            auth = await AuthApi.RegisterAsync(doomed.Http);
            using var stalled = await accepted;
            await WaitForAsync(async () => await ScalarAsync<bool>("SELECT coalesce(bool_or(leased_until > now()), false) FROM mail_outbox WHERE recipient = @r", auth.User.Email), "the mail leased");
            leasedUntil = await ScalarAsync<DateTime>("SELECT max(leased_until) FROM mail_outbox WHERE recipient = @r", auth.User.Email);
            await doomed.CrashAsync();
        }

        await using var smtp = SmtpSink.Running();
        await using var next = await LobbyProcess.StartAsync(_database, Settings(smtp));
        await smtp.WaitForAsync(auth.User.Email, "Confirm your email");
        var probe = await AuthApi.RegisterAsync(next.Http);
        await smtp.WaitForAsync(probe.User.Email, "Confirm your email");

        Assert.Single(smtp.To(auth.User.Email));
        Assert.True(await ScalarAsync<DateTime>("SELECT sent_at FROM mail_outbox WHERE recipient = @r", auth.User.Email) >= leasedUntil);
    }

    private static Dictionary<string, string?> Settings(SmtpSink smtp) => Settings(smtp.Url);

    private static Dictionary<string, string?> Settings(string smtpUrl) => new()
    {
        ["SMTP_URL"] = smtpUrl,
        ["MAIL_FROM"] = "Lobby <no-reply@example.test>",
        ["PUBLIC_BASE_URL"] = "https://chat.example.test",
        ["MAIL_RETRY_SECONDS"] = "1",
        ["MAIL_POLL_SECONDS"] = "1",
        // A process killed mid-send leaves its lease: short here, so the next one takes over soon.
        ["MAIL_LEASE_SECONDS"] = "3",
        ["LOG_LEVEL"] = "Debug",
    };

    /// <summary>Bounded wait for a condition the database shows (the sender's progress), checked every 100 ms.</summary>
    private static async Task WaitForAsync(Func<Task<bool>> condition, string what)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (!await condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "timed out waiting for " + what);
            await Task.Delay(100);
        }
    }

    private Task<int> AttemptsAsync(string recipient) =>
        ScalarAsync<int>("SELECT coalesce(max(attempts), 0) FROM mail_outbox WHERE recipient = @r AND last_error IS NOT NULL", recipient);

    private Task<bool> SentAsync(string recipient) =>
        ScalarAsync<bool>("SELECT bool_and(sent_at IS NOT NULL AND text_body IS NULL) FROM mail_outbox WHERE recipient = @r", recipient);

    private Task<Guid> OutboxIdAsync(string recipient) => ScalarAsync<Guid>("SELECT id FROM mail_outbox WHERE recipient = @r", recipient);

    private async Task<T> ScalarAsync<T>(string sql, string recipient)
    {
        await using var db = new NpgsqlConnection(_database);
        await db.OpenAsync();
        await using var cmd = new NpgsqlCommand(sql, db);
        cmd.Parameters.AddWithValue("r", recipient);
        return (T)(await cmd.ExecuteScalarAsync())!;
    }
}
