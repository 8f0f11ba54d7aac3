using System.Net;

namespace Lobby.Api.Services.Mail;

/// <summary>
/// The account mails, each in plain text and HTML. Names and addresses are HTML-encoded: a display
/// name is user input. Links carry their token in the fragment (#), which browsers never send to a
/// server, so a token does not reach proxy or access logs when the link is opened.
/// </summary>
internal static class MailTemplates
{
    public static MailDraft VerifyEmail(string to, string name, string link) => Compose(
        to, "Confirm your email address for Lobby", name,
        ["Confirm that this is your email address by opening the link below.", "The link works once and expires in a day."],
        link, "Confirm my address",
        "If you did not create a Lobby account, ignore this mail.");

    public static MailDraft AlreadyRegistered(string to, string name, string resetLink) => Compose(
        to, "Someone tried to sign up to Lobby with your address", name,
        ["Somebody tried to create a Lobby account with this email address, which already has one. Nothing was changed.",
         "If it was you and you forgot your password, you can choose a new one:"],
        resetLink, "Reset my password",
        "If it was not you, ignore this mail: your account is safe.");

    public static MailDraft ResetPassword(string to, string name, string link, TimeSpan lifetime) => Compose(
        to, "Reset your Lobby password", name,
        ["Somebody (hopefully you) asked to reset the password of your Lobby account.",
         $"The link below works once and expires in {(int)lifetime.TotalMinutes} minutes. Resetting signs you out everywhere."],
        link, "Choose a new password",
        "If you did not ask for this, ignore this mail: your password stays as it is.");

    public static MailDraft PasswordChanged(string to, string name, bool byReset) => Compose(
        to, "Your Lobby password was changed", name,
        [byReset ? "The password of your Lobby account was just reset with a link sent to this address, and every session was signed out."
                 : "The password of your Lobby account was just changed, and your other sessions were signed out.",
         "If this was you, there is nothing to do."],
        null, null,
        "If it was not you, reset your password from the sign-in page now and tell your administrator.");

    public static MailDraft ConfirmNewEmail(string to, string name, string link) => Compose(
        to, "Confirm your new email address for Lobby", name,
        ["You asked to change the email address of your Lobby account to this one. Open the link below to confirm it.",
         "The link works once and expires in a day. Until then, your old address stays in use."],
        link, "Confirm my new address",
        "If you did not ask for this, ignore this mail.");

    public static MailDraft EmailChangeRequested(string to, string name, string newEmail) => Compose(
        to, "Your Lobby email address is being changed", name,
        [$"Somebody signed in to your Lobby account asked to change its email address to {newEmail}.",
         "It changes only once the new address is confirmed."],
        null, null,
        "If it was not you, change your password now: that cancels nothing by itself, but signs everyone else out.");

    public static MailDraft AccountDeleted(string to, string name) => Compose(
        to, "Your Lobby account was deleted", name,
        ["Your Lobby account was deleted as you asked. Your messages are removed; rooms keep a placeholder where they were."],
        null, null,
        "If you did not do this, tell your administrator.");

    private static MailDraft Compose(string to, string subject, string name, string[] paragraphs, string? link, string? action, string footer)
    {
        var text = new System.Text.StringBuilder();
        text.Append("Hello ").Append(name).Append(",\n\n");
        foreach (var p in paragraphs)
        {
            text.Append(p).Append("\n\n");
        }

        if (link is not null)
        {
            text.Append(link).Append("\n\n");
        }

        text.Append(footer).Append("\n\n-- \nLobby\n");

        var html = new System.Text.StringBuilder();
        html.Append("<!doctype html><html><body style=\"font-family:sans-serif;line-height:1.5\">");
        html.Append("<p>Hello ").Append(WebUtility.HtmlEncode(name)).Append(",</p>");
        foreach (var p in paragraphs)
        {
            html.Append("<p>").Append(WebUtility.HtmlEncode(p)).Append("</p>");
        }

        if (link is not null)
        {
            var href = WebUtility.HtmlEncode(link);
            html.Append("<p><a href=\"").Append(href).Append("\">").Append(WebUtility.HtmlEncode(action!)).Append("</a></p>");
            html.Append("<p style=\"color:#555;font-size:smaller\">Or paste this into your browser: ").Append(href).Append("</p>");
        }

        html.Append("<p style=\"color:#555\">").Append(WebUtility.HtmlEncode(footer)).Append("</p></body></html>");
        return new MailDraft(to, subject, text.ToString(), html.ToString());
    }
}
