using System.Net.Http.Json;
using System.Text.Json;
using Lobby.IntegrationTests.Infrastructure;
using Npgsql;

namespace Lobby.IntegrationTests.Accounts;

/// <summary>Verification, reset, email change and sign-out-everywhere, with mail read back from a real SMTP server.</summary>
public sealed class AccountRecoveryTests(MailLobbyFactory factory) : IClassFixture<MailLobbyFactory>
{
    private const string NewPassword = "a fresh passphrase for 2027";
    private readonly HttpClient _client = factory.CreateClient();
    private SmtpSink Smtp => factory.Smtp;

    [Fact]
    public async Task Registration_mails_a_verification_link_that_works_once()
    {
        var auth = await AuthApi.RegisterAsync(_client);
        Assert.False(await EmailVerifiedAsync(auth));

        var mail = await Smtp.WaitForAsync(auth.User.Email, "Confirm your email");
        var (link, token) = SmtpSink.LinkIn(mail);
        Assert.StartsWith(MailLobbyFactory.BaseUrl + "/#/verify-email?token=", link, StringComparison.Ordinal);
        Assert.Contains(link, mail.HtmlBody, StringComparison.Ordinal);
        Assert.Equal("no-reply@example.test", mail.From.Mailboxes.Single().Address);

        using var first = await _client.PostAsJsonAsync("/api/v1/auth/email/verify", new { token });
        Assert.Equal(204, (int)first.StatusCode);
        Assert.True(await EmailVerifiedAsync(auth));

        using var again = await _client.PostAsJsonAsync("/api/v1/auth/email/verify", new { token });
        var problem = await Problems.AssertProblemAsync(again, 400);
        Assert.True(problem.GetProperty("errors").TryGetProperty("token", out _));
    }

    [Fact]
    public async Task A_reset_link_sets_a_new_password_once_ends_every_session_and_is_announced()
    {
        var here = await AuthApi.RegisterAsync(_client);
        var elsewhere = await AuthApi.LoginAsync(_client, here.User.Email);

        using var forgot = await _client.PostAsJsonAsync("/api/v1/auth/password/forgot", new { email = here.User.Email.ToUpperInvariant() });
        Assert.Equal(202, (int)forgot.StatusCode);
        var (link, token) = SmtpSink.LinkIn(await Smtp.WaitForAsync(here.User.Email, "Reset your Lobby password"));
        Assert.StartsWith(MailLobbyFactory.BaseUrl + "/#/reset-password?token=", link, StringComparison.Ordinal);

        using var weak = await _client.PostAsJsonAsync("/api/v1/auth/password/reset", new { token, newPassword = "short" });
        var weakProblem = await Problems.AssertProblemAsync(weak, 400);
        Assert.True(weakProblem.GetProperty("errors").TryGetProperty("newPassword", out _));

        using var reset = await _client.PostAsJsonAsync("/api/v1/auth/password/reset", new { token, newPassword = NewPassword });
        Assert.Equal(204, (int)reset.StatusCode);

        foreach (var session in new[] { here, elsewhere })
        {
            using var refresh = await AuthApi.RefreshAsync(_client, session.RefreshToken);
            await Problems.AssertProblemAsync(refresh, 401);
            using var access = await AuthApi.GetAsync(_client, "/api/v1/users/me", session.AccessToken);
            await Problems.AssertProblemAsync(access, 401);
        }

        using var oldPassword = await _client.PostAsJsonAsync("/api/v1/auth/login", new { email = here.User.Email, password = AuthApi.Password });
        await Problems.AssertProblemAsync(oldPassword, 401);
        var signedIn = await AuthApi.LoginAsync(_client, here.User.Email, NewPassword);
        // The link proved the mailbox.
        Assert.True(await EmailVerifiedAsync(signedIn));

        using var twice = await _client.PostAsJsonAsync("/api/v1/auth/password/reset", new { token, newPassword = "yet another passphrase 9" });
        await Problems.AssertProblemAsync(twice, 400);
        await Smtp.WaitForAsync(here.User.Email, "password was changed");
    }

    [Fact]
    public async Task Forgot_password_answers_byte_for_byte_the_same_for_known_and_unknown_addresses()
    {
        var known = await AuthApi.RegisterAsync(_client);
        var unknown = AuthApi.NewEmail("nobody");

        using var forKnown = await _client.PostAsJsonAsync("/api/v1/auth/password/forgot", new { email = known.User.Email });
        using var forUnknown = await _client.PostAsJsonAsync("/api/v1/auth/password/forgot", new { email = unknown });

        Assert.Equal(202, (int)forKnown.StatusCode);
        Assert.Equal((int)forKnown.StatusCode, (int)forUnknown.StatusCode);
        Assert.Equal(forKnown.Content.Headers.ContentType?.ToString(), forUnknown.Content.Headers.ContentType?.ToString());
        Assert.Equal(await forKnown.Content.ReadAsByteArrayAsync(), await forUnknown.Content.ReadAsByteArrayAsync());
        Assert.Equal(HeaderNames(forKnown), HeaderNames(forUnknown));
        Assert.Equal(1, await OutboxRowsForAsync(known.User.Email, "Reset"));
        Assert.Equal(0, await OutboxRowsForAsync(unknown, "%"));
    }

    [Fact]
    public async Task Tokens_work_only_for_their_purpose_and_expire()
    {
        var auth = await AuthApi.RegisterAsync(_client);
        var (_, verifyToken) = SmtpSink.LinkIn(await Smtp.WaitForAsync(auth.User.Email, "Confirm your email"));
        using (var forgot = await _client.PostAsJsonAsync("/api/v1/auth/password/forgot", new { email = auth.User.Email }))
        {
            Assert.Equal(202, (int)forgot.StatusCode);
        }

        var (_, resetToken) = SmtpSink.LinkIn(await Smtp.WaitForAsync(auth.User.Email, "Reset your Lobby password"));

        using (var verifyAsReset = await _client.PostAsJsonAsync("/api/v1/auth/password/reset", new { token = verifyToken, newPassword = NewPassword }))
        {
            await Problems.AssertProblemAsync(verifyAsReset, 400);
        }

        using (var resetAsVerify = await _client.PostAsJsonAsync("/api/v1/auth/email/verify", new { token = resetToken }))
        {
            await Problems.AssertProblemAsync(resetAsVerify, 400);
        }

        using (var resetAsEmailChange = await _client.PostAsJsonAsync("/api/v1/auth/email/confirm-change", new { token = resetToken }))
        {
            await Problems.AssertProblemAsync(resetAsEmailChange, 400);
        }

        using (var garbage = await _client.PostAsJsonAsync("/api/v1/auth/password/reset", new { token = "not-a-token", newPassword = NewPassword }))
        {
            await Problems.AssertProblemAsync(garbage, 400);
        }

        // Expiry is the database clock's: move the link's end into the past instead of waiting 30 minutes.
        await ExecuteAsync("UPDATE account_tokens SET expires_at = now() - interval '1 second' WHERE user_id = @id AND purpose = 'reset_password'", auth.User.Id);
        using (var expired = await _client.PostAsJsonAsync("/api/v1/auth/password/reset", new { token = resetToken, newPassword = NewPassword }))
        {
            await Problems.AssertProblemAsync(expired, 400);
        }

        await AuthApi.LoginAsync(_client, auth.User.Email);
        // The misuse above did not burn the verification link.
        using var verify = await _client.PostAsJsonAsync("/api/v1/auth/email/verify", new { token = verifyToken });
        Assert.Equal(204, (int)verify.StatusCode);
    }

    [Fact]
    public async Task Verification_and_email_change_links_expire()
    {
        var auth = await AuthApi.RegisterAsync(_client);
        var (_, verifyToken) = SmtpSink.LinkIn(await Smtp.WaitForAsync(auth.User.Email, "Confirm your email"));
        var newEmail = AuthApi.NewEmail("late");
        using (var request = await AuthApi.SendAsync(_client, HttpMethod.Post, "/api/v1/users/me/email", auth.AccessToken, new { newEmail, currentPassword = AuthApi.Password }))
        {
            Assert.Equal(202, (int)request.StatusCode);
        }

        var (_, changeToken) = SmtpSink.LinkIn(await Smtp.WaitForAsync(newEmail, "Confirm your new email"));
        await ExecuteAsync("UPDATE account_tokens SET expires_at = now() - interval '1 second' WHERE user_id = @id AND purpose IN ('verify_email', 'change_email')", auth.User.Id);

        using (var verify = await _client.PostAsJsonAsync("/api/v1/auth/email/verify", new { token = verifyToken }))
        {
            await Problems.AssertProblemAsync(verify, 400);
        }

        using (var confirm = await _client.PostAsJsonAsync("/api/v1/auth/email/confirm-change", new { token = changeToken }))
        {
            await Problems.AssertProblemAsync(confirm, 400);
        }

        var me = await MeAsync(auth);
        Assert.False(me.GetProperty("emailVerified").GetBoolean());
        Assert.Equal(auth.User.Email, me.GetProperty("email").GetString());
    }

    [Fact]
    public async Task An_email_change_needs_the_password_is_confirmed_from_the_new_address_and_told_to_the_old()
    {
        var auth = await AuthApi.RegisterAsync(_client);
        var newEmail = AuthApi.NewEmail("moved");

        using (var wrong = await AuthApi.SendAsync(_client, HttpMethod.Post, "/api/v1/users/me/email", auth.AccessToken, new { newEmail, currentPassword = "not my password" }))
        {
            var problem = await Problems.AssertProblemAsync(wrong, 400);
            Assert.True(problem.GetProperty("errors").TryGetProperty("currentPassword", out _));
        }

        var other = await AuthApi.RegisterAsync(_client);
        using (var taken = await AuthApi.SendAsync(_client, HttpMethod.Post, "/api/v1/users/me/email", auth.AccessToken, new { newEmail = other.User.Email.ToUpperInvariant(), currentPassword = AuthApi.Password }))
        {
            await Problems.AssertProblemAsync(taken, 409);
        }

        using (var request = await AuthApi.SendAsync(_client, HttpMethod.Post, "/api/v1/users/me/email", auth.AccessToken, new { newEmail, currentPassword = AuthApi.Password }))
        {
            Assert.Equal(202, (int)request.StatusCode);
        }

        var notice = await Smtp.WaitForAsync(auth.User.Email, "is being changed");
        Assert.Contains(newEmail, notice.TextBody, StringComparison.Ordinal);
        var (link, token) = SmtpSink.LinkIn(await Smtp.WaitForAsync(newEmail, "Confirm your new email"));
        Assert.StartsWith(MailLobbyFactory.BaseUrl + "/#/confirm-email?token=", link, StringComparison.Ordinal);
        Assert.Equal(auth.User.Email, (await MeAsync(auth)).GetProperty("email").GetString());

        using (var confirm = await _client.PostAsJsonAsync("/api/v1/auth/email/confirm-change", new { token }))
        {
            Assert.Equal(204, (int)confirm.StatusCode);
        }

        var me = await MeAsync(auth);
        Assert.Equal(newEmail, me.GetProperty("email").GetString());
        Assert.True(me.GetProperty("emailVerified").GetBoolean());
        await AuthApi.LoginAsync(_client, newEmail);
        using (var oldLogin = await _client.PostAsJsonAsync("/api/v1/auth/login", new { email = auth.User.Email, password = AuthApi.Password }))
        {
            await Problems.AssertProblemAsync(oldLogin, 401);
        }

        using var twice = await _client.PostAsJsonAsync("/api/v1/auth/email/confirm-change", new { token });
        await Problems.AssertProblemAsync(twice, 400);
    }

    [Fact]
    public async Task Signing_out_everywhere_ends_every_session_or_every_other_one()
    {
        var here = await AuthApi.RegisterAsync(_client);
        var phone = await AuthApi.LoginAsync(_client, here.User.Email);
        var laptop = await AuthApi.LoginAsync(_client, here.User.Email);

        // Not a boolean: refused by name, and nothing ends.
        using (var unclear = await AuthApi.SendAsync(_client, HttpMethod.Delete, "/api/v1/auth/sessions?keepCurrent=maybe", here.AccessToken))
        {
            var problem = await Problems.AssertProblemAsync(unclear, 400);
            Assert.Equal("The value given for 'keepCurrent' is not valid.", problem.GetProperty("detail").GetString());
        }

        using (var others = await AuthApi.SendAsync(_client, HttpMethod.Delete, "/api/v1/auth/sessions?keepCurrent=true", here.AccessToken))
        {
            var body = await RoomsApi.ReadAsync<JsonElement>(others, 200);
            Assert.Equal(2, body.GetProperty("ended").GetInt32());
        }

        foreach (var gone in new[] { phone, laptop })
        {
            using var refresh = await AuthApi.RefreshAsync(_client, gone.RefreshToken);
            await Problems.AssertProblemAsync(refresh, 401);
        }

        using (var stillHere = await AuthApi.GetAsync(_client, "/api/v1/users/me", here.AccessToken))
        {
            Assert.Equal(200, (int)stillHere.StatusCode);
        }

        using (var all = await AuthApi.SendAsync(_client, HttpMethod.Delete, "/api/v1/auth/sessions", here.AccessToken))
        {
            Assert.Equal(1, (await RoomsApi.ReadAsync<JsonElement>(all, 200)).GetProperty("ended").GetInt32());
        }

        using var after = await AuthApi.GetAsync(_client, "/api/v1/users/me", here.AccessToken);
        await Problems.AssertProblemAsync(after, 401);
    }

    [Fact]
    public async Task A_password_change_is_announced_by_mail()
    {
        var auth = await AuthApi.RegisterAsync(_client);
        using var change = await AuthApi.SendAsync(_client, HttpMethod.Post, "/api/v1/users/me/password", auth.AccessToken, new { currentPassword = AuthApi.Password, newPassword = NewPassword });
        Assert.Equal(204, (int)change.StatusCode);
        var mail = await Smtp.WaitForAsync(auth.User.Email, "password was changed");
        Assert.Contains("other sessions were signed out", mail.TextBody, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Reset_mails_to_one_address_are_capped_per_hour_without_changing_the_answer()
    {
        var auth = await AuthApi.RegisterAsync(_client);
        var answers = new List<string>();
        for (var i = 0; i < 7; i++)
        {
            using var forgot = await _client.PostAsJsonAsync("/api/v1/auth/password/forgot", new { email = auth.User.Email });
            Assert.Equal(202, (int)forgot.StatusCode);
            answers.Add(await forgot.Content.ReadAsStringAsync());
        }

        Assert.Single(answers.Distinct());
        // MAIL_RATE_LIMIT_PER_ADDRESS_PER_HOUR is 5 by default; the verification mail at sign-up counted nothing.
        Assert.Equal(5, await OutboxRowsForAsync(auth.User.Email, "Reset"));
    }

    [Fact]
    public async Task No_token_or_link_reaches_the_logs_outside_Development()
    {
        var auth = await AuthApi.RegisterAsync(_client);
        var (_, verifyToken) = SmtpSink.LinkIn(await Smtp.WaitForAsync(auth.User.Email, "Confirm your email"));
        using (var forgot = await _client.PostAsJsonAsync("/api/v1/auth/password/forgot", new { email = auth.User.Email }))
        {
            Assert.Equal(202, (int)forgot.StatusCode);
        }

        var (resetLink, resetToken) = SmtpSink.LinkIn(await Smtp.WaitForAsync(auth.User.Email, "Reset your Lobby password"));
        using (var reset = await _client.PostAsJsonAsync("/api/v1/auth/password/reset", new { token = resetToken, newPassword = NewPassword }))
        {
            Assert.Equal(204, (int)reset.StatusCode);
        }

        // The reset ended every session: sign in again to change the address.
        var signedIn = await AuthApi.LoginAsync(_client, auth.User.Email, NewPassword);
        var newEmail = AuthApi.NewEmail("logged");
        using (var change = await AuthApi.SendAsync(_client, HttpMethod.Post, "/api/v1/users/me/email", signedIn.AccessToken, new { newEmail, currentPassword = NewPassword }))
        {
            Assert.Equal(202, (int)change.StatusCode);
        }

        var (changeLink, changeToken) = SmtpSink.LinkIn(await Smtp.WaitForAsync(newEmail, "Confirm your new email"));
        using (var confirm = await _client.PostAsJsonAsync("/api/v1/auth/email/confirm-change", new { token = changeToken }))
        {
            Assert.Equal(204, (int)confirm.StatusCode);
        }

        var logs = factory.AllLogs();
        Assert.Contains("/api/v1/auth/password/reset", logs, StringComparison.Ordinal);
        Assert.DoesNotContain(changeToken, logs, StringComparison.Ordinal);
        Assert.DoesNotContain(changeLink, logs, StringComparison.Ordinal);
        Assert.DoesNotContain(verifyToken, logs, StringComparison.Ordinal);
        Assert.DoesNotContain(resetToken, logs, StringComparison.Ordinal);
        Assert.DoesNotContain(resetLink, logs, StringComparison.Ordinal);
        Assert.DoesNotContain(SmtpSink.Password, logs, StringComparison.Ordinal);
        Assert.DoesNotContain(NewPassword, logs, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_public_settings_say_mail_is_on()
    {
        using var response = await _client.GetAsync(new Uri("/api/v1/auth/settings", UriKind.Relative));
        var settings = await RoomsApi.ReadAsync<JsonElement>(response, 200);
        Assert.True(settings.GetProperty("mailEnabled").GetBoolean());
        Assert.False(settings.GetProperty("emailVerificationRequired").GetBoolean());
    }

    private async Task<JsonElement> MeAsync(TestAuth auth)
    {
        using var response = await AuthApi.GetAsync(_client, "/api/v1/users/me", auth.AccessToken);
        return await RoomsApi.ReadAsync<JsonElement>(response, 200);
    }

    private async Task<bool> EmailVerifiedAsync(TestAuth auth) => (await MeAsync(auth)).GetProperty("emailVerified").GetBoolean();

    private static string[] HeaderNames(HttpResponseMessage response) =>
        [.. response.Headers.Select(h => h.Key).Where(k => k != "X-Request-ID").Order(StringComparer.Ordinal)];

    private async Task<long> OutboxRowsForAsync(string recipient, string subject)
    {
        await using var db = new NpgsqlConnection(factory.ConnectionString);
        await db.OpenAsync();
        await using var cmd = new NpgsqlCommand("SELECT count(*) FROM mail_outbox WHERE lower(recipient) = lower(@r) AND subject LIKE '%' || @s || '%'", db);
        cmd.Parameters.AddWithValue("r", recipient);
        cmd.Parameters.AddWithValue("s", subject);
        return (long)(await cmd.ExecuteScalarAsync())!;
    }

    private async Task ExecuteAsync(string sql, Guid id)
    {
        await using var db = new NpgsqlConnection(factory.ConnectionString);
        await db.OpenAsync();
        await using var cmd = new NpgsqlCommand(sql, db);
        cmd.Parameters.AddWithValue("id", id);
        await cmd.ExecuteNonQueryAsync();
    }
}
