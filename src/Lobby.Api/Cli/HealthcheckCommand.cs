namespace Lobby.Api.Cli;

/// <summary>
/// For the container HEALTHCHECK, so the runtime image needs no curl: asks this instance's
/// readiness endpoint on the port it serves.
/// </summary>
internal static class HealthcheckCommand
{
    public static async Task<int> RunAsync(string[] args)
    {
        if (args.Length > 1 || (args.Length == 1 && !args[0].StartsWith("http", StringComparison.Ordinal)))
        {
            return CommandLine.Fail("healthcheck takes at most one argument, the base URL (default: this instance's)");
        }

        var baseUrl = args.Length == 1 ? args[0] : LocalBaseUrl();
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(3) };
        try
        {
            using var response = await http.GetAsync(new Uri(new Uri(baseUrl), "/health/ready"));
            Console.WriteLine($"{(int)response.StatusCode} {baseUrl}/health/ready");
            return response.IsSuccessStatusCode ? 0 : 1;
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException or UriFormatException)
        {
            await Console.Error.WriteLineAsync($"lobby: healthcheck failed: {ex.Message}");
            return 1;
        }
    }

    /// <summary>First address from ASPNETCORE_URLS / ASPNETCORE_HTTP_PORTS, wildcards mapped to loopback.</summary>
    internal static string LocalBaseUrl()
    {
        var urls = Environment.GetEnvironmentVariable("ASPNETCORE_URLS");
        if (!string.IsNullOrWhiteSpace(urls))
        {
            var first = urls.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)[0];
            return first.Replace("://+", "://127.0.0.1", StringComparison.Ordinal)
                .Replace("://*", "://127.0.0.1", StringComparison.Ordinal)
                .Replace("://0.0.0.0", "://127.0.0.1", StringComparison.Ordinal)
                .Replace("://[::]", "://127.0.0.1", StringComparison.Ordinal)
                .TrimEnd('/');
        }

        var ports = Environment.GetEnvironmentVariable("ASPNETCORE_HTTP_PORTS");
        var port = string.IsNullOrWhiteSpace(ports) ? "8080" : ports.Split(';', ',')[0].Trim();
        return $"http://127.0.0.1:{port}";
    }
}
