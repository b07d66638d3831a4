using System;
using System.Collections.Generic;
using System.IO;
using System.Net.Http;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using NUnit.Framework;

namespace Tests.EndToEnd;

/// <summary>
/// The standalone Aspire dashboard from its NuGet package, on free loopback ports, without authentication: a real
/// OTLP backend whose telemetry API returns the spans it received as OTLP JSON.
/// </summary>
public sealed class AspireDashboard : IDisposable
{
    readonly ChildProcess process;
    readonly HttpClient http = new() { Timeout = TimeSpan.FromSeconds(10) };

    AspireDashboard(ChildProcess process, int uiPort, int otlpHttpPort)
    {
        this.process = process;
        Url = $"http://127.0.0.1:{uiPort}";
        OtlpHttpEndpoint = $"http://127.0.0.1:{otlpHttpPort}";
    }

    /// <summary>The dashboard's web UI and API.</summary>
    public string Url { get; }

    /// <summary>Where an OTLP/HTTP exporter sends to (<c>OTEL_EXPORTER_OTLP_ENDPOINT</c>).</summary>
    public string OtlpHttpEndpoint { get; }

    public string Output => process.Output;

    /// <summary>Starts the dashboard and waits until its API answers.</summary>
    public static async Task<AspireDashboard> StartAsync()
    {
        var executable = ChildProcess.BuildPath("AspireDashboardPath");
        Assert.That(File.Exists(executable), $"the Aspire dashboard is restored (PackageDownload): {executable}");
        if (!OperatingSystem.IsWindows())
        {
            // NuGet does not keep the run bit of package files.
            File.SetUnixFileMode(executable, File.GetUnixFileMode(executable) | UnixFileMode.UserExecute);
        }

        var uiPort = ChildProcess.FreeLoopbackPort();
        var otlpHttpPort = ChildProcess.FreeLoopbackPort();
        var otlpGrpcPort = ChildProcess.FreeLoopbackPort();
        var process = new ChildProcess(
            executable,
            Array.Empty<string>(),
            new Dictionary<string, string>
            {
                ["ASPNETCORE_URLS"] = $"http://127.0.0.1:{uiPort}",
                ["ASPIRE_DASHBOARD_OTLP_HTTP_ENDPOINT_URL"] = $"http://127.0.0.1:{otlpHttpPort}",
                ["ASPIRE_DASHBOARD_OTLP_ENDPOINT_URL"] = $"http://127.0.0.1:{otlpGrpcPort}",
                ["ASPIRE_DASHBOARD_UNSECURED_ALLOW_ANONYMOUS"] = "true",
                ["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1",
            },
            Path.GetDirectoryName(executable));
        var dashboard = new AspireDashboard(process, uiPort, otlpHttpPort);
        try
        {
            await Until(async () => (await dashboard.TracesAsync()) != null, TimeSpan.FromSeconds(60), () => "the dashboard answers:\n" + process.Output);
            return dashboard;
        }
        catch
        {
            dashboard.Dispose();
            throw;
        }
    }

    /// <summary><c>GET /api/telemetry/traces</c>: the OTLP JSON document, or null while the dashboard is not up.</summary>
    public async Task<JsonDocument?> TracesAsync()
    {
        try
        {
            var text = await http.GetStringAsync(Url + "/api/telemetry/traces");
            return JsonDocument.Parse(text);
        }
        catch (HttpRequestException)
        {
            return null;
        }
        catch (TaskCanceledException)
        {
            return null;
        }
    }

    /// <summary>Polls <paramref name="condition"/> until it holds, failing with <paramref name="describe"/> after <paramref name="timeout"/>.</summary>
    public static async Task Until(Func<Task<bool>> condition, TimeSpan timeout, Func<string> describe)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (!await condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                Assert.Fail("Timed out waiting until " + describe());
            }

            await Task.Delay(200);
        }
    }

    public void Dispose()
    {
        http.Dispose();
        process.Dispose();
    }
}
