using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Net;
using System.Net.Http;
using System.Threading.Tasks;
using NUnit.Framework;

namespace Tests.EndToEnd;

/// <summary>
/// samples/WebSample, woven by the build, exports its spans with the OpenTelemetry OTLP exporter to a real Aspire
/// dashboard started here; the spans read back from the dashboard's telemetry API form the expected tree: the
/// ASP.NET Core request span, the traced methods under it with their code attributes, arguments and results, and
/// the failing request's exception recorded on the methods it went through; headless chromium then shows the trace
/// in the dashboard's UI (the README's screenshot is taken the same way). Nothing is mocked.
/// </summary>
[NonParallelizable]
public class AspireDashboardTests
{
    [Test]
    [CancelAfter(180_000)]
    public async Task AWebRequestsTracedMethodsArriveInTheDashboardAsOneTree()
    {
        using var dashboard = await AspireDashboard.StartAsync();
        var samplePath = ChildProcess.BuildPath("WebSamplePath");
        var sampleUrl = $"http://127.0.0.1:{ChildProcess.FreeLoopbackPort()}";
        using var sample = new ChildProcess(
            "dotnet",
            new[] { samplePath },
            new Dictionary<string, string>
            {
                ["ASPNETCORE_URLS"] = sampleUrl,
                ["OTEL_EXPORTER_OTLP_ENDPOINT"] = dashboard.OtlpHttpEndpoint,
                ["OTEL_EXPORTER_OTLP_PROTOCOL"] = "http/protobuf",
                ["OTEL_BSP_SCHEDULE_DELAY"] = "100",
                ["OTEL_SERVICE_NAME"] = "WebSample",
            },
            Path.GetDirectoryName(samplePath));
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };

        string? placed = null;
        await AspireDashboard.Until(async () =>
        {
            try
            {
                placed = await http.GetStringAsync(sampleUrl + "/checkout/book?quantity=2");
                return true;
            }
            catch (HttpRequestException) when (!sample.HasExited)
            {
                return false;
            }
        }, TimeSpan.FromSeconds(60), () => "the sample answers:\n" + sample.Output);
        Assert.That(placed, Does.Contain("\"total\":25"));
        var unknown = await http.GetAsync(sampleUrl + "/checkout/unicorn");
        Assert.That(unknown.StatusCode, Is.EqualTo(HttpStatusCode.NotFound));

        List<OtlpSpan> spans = new();
        await AspireDashboard.Until(async () =>
        {
            using var document = await dashboard.TracesAsync();
            spans = document == null ? new List<OtlpSpan>() : OtlpSpan.All(document);
            return spans.Count(s => s.Name == "CheckoutService.PlaceAsync") == 2 && spans.Count(s => s.Scope == "Microsoft.AspNetCore") >= 2;
        }, TimeSpan.FromSeconds(60), () => "the dashboard holds both requests' spans: " + string.Join(", ", spans.Select(s => s.Name)) + "\n" + sample.Output);

        var requests = spans.Where(s => s.Scope == "Microsoft.AspNetCore").ToList();
        var book = Tree(spans, requests.Single(r => r.Attributes.GetValueOrDefault("url.path") == "stringValue:/checkout/book"));
        Assert.That(book.Select(s => s.Name), Is.EquivalentTo(new[]
        {
            "GET /checkout/{item}", "CheckoutService.PlaceAsync", "Catalog.Price", "Inventory.ReserveAsync", "CheckoutService.Total",
        }));
        var place = book.Single(s => s.Name == "CheckoutService.PlaceAsync");
        Assert.That(place.ParentSpanId, Is.EqualTo(book[0].SpanId), "the request's span parents the traced method");
        Assert.That(place.Scope, Is.EqualTo("WebSample"), "the woven assembly's source");
        Assert.That(place.Kind, Is.EqualTo(1), "SPAN_KIND_INTERNAL");
        Assert.That(place.Value("code.function.name"), Is.EqualTo("WebSample.Shop.CheckoutService.PlaceAsync"));
        Assert.That(place.Value("code.file.path"), Does.EndWith("samples/WebSample/Shop.cs"));
        Assert.That(place.Value("code.line.number"), Does.Match("^[1-9][0-9]*$"));
        Assert.That(place.Value("item"), Is.EqualTo("book"));
        Assert.That(place.Value("quantity"), Is.EqualTo("2"));
        Assert.That(place.Value("return"), Is.EqualTo("25.00"));
        foreach (var child in new[] { "Catalog.Price", "Inventory.ReserveAsync", "CheckoutService.Total" })
        {
            Assert.That(book.Single(s => s.Name == child).ParentSpanId, Is.EqualTo(place.SpanId), child + " nests under PlaceAsync");
        }

        Assert.That(book.Single(s => s.Name == "Inventory.ReserveAsync").Value("return"), Is.EqualTo("true"));
        Assert.That(book.Where(s => s.Scope == "WebSample").Select(s => s.StatusCode), Has.All.EqualTo(0), "no error");

        var failed = Tree(spans, requests.Single(r => r.Attributes.GetValueOrDefault("url.path") == "stringValue:/checkout/unicorn"));
        Assert.That(failed.Select(s => s.Name), Is.EqualTo(new[] { "GET /checkout/{item}", "CheckoutService.PlaceAsync", "Catalog.Price" }));
        foreach (var span in failed.Skip(1))
        {
            Assert.That(span.StatusCode, Is.EqualTo(2), span.Name + ": STATUS_CODE_ERROR");
            Assert.That(span.StatusMessage, Is.EqualTo("no such item: unicorn"));
            var exception = span.Events.Single(e => e.Name == "exception").Attributes;
            Assert.That(exception["exception.type"], Does.EndWith(":WebSample.Shop.UnknownItemException"));
            Assert.That(exception["exception.message"], Does.EndWith(":no such item: unicorn"));
            Assert.That(exception["exception.stacktrace"], Does.Contain("WebSample.Shop.Catalog.Price"));
            Assert.That(span.Attributes.ContainsKey("return"), Is.False);
        }

        var page = await Screenshot(dashboard, place.TraceId);
        Assert.That(page, Does.Contain("Total spans 5"));
        foreach (var name in new[] { "CheckoutService.PlaceAsync", "Catalog.Price", "Inventory.ReserveAsync", "CheckoutService.Total" })
        {
            Assert.That(page, Does.Contain(name), "the dashboard's trace view shows " + name);
        }
    }

    /// <summary>
    /// Opens the trace in the dashboard with headless chromium (tools/browser-tests/trace.mjs, puppeteer-core; .ci/run
    /// installs chromium and the npm packages), saves a screenshot next to the test results, returns the page text.
    /// </summary>
    static async Task<string> Screenshot(AspireDashboard dashboard, string traceId)
    {
        var script = ChildProcess.BuildPath("ScreenshotScript");
        var directory = Path.GetDirectoryName(script)!;
        Assert.That(File.Exists("/usr/bin/chromium"), "chromium is installed (apt-get install chromium; .ci/run does it)");
        Assert.That(Directory.Exists(Path.Combine(directory, "node_modules", "puppeteer-core")),
            $"puppeteer-core is installed (npm ci in {directory}; .ci/run does it)");
        var output = Path.Combine(TestContext.CurrentContext.WorkDirectory, "websample-trace.png");
        using var node = new ChildProcess("node", new[] { script, dashboard.Url, traceId, output }, new Dictionary<string, string>(), directory);
        await AspireDashboard.Until(() => Task.FromResult(node.HasExited), TimeSpan.FromSeconds(120), () => "chromium took the screenshot:\n" + node.Output);
        Assert.That(node.ExitCode, Is.Zero, "the screenshot script succeeded:\n" + node.Output);
        Assert.That(File.Exists(output), "screenshot written:\n" + node.Output);
        TestContext.AddTestAttachment(output);
        return node.Output;
    }

    /// <summary>The span and its descendants, parents before children.</summary>
    static List<OtlpSpan> Tree(List<OtlpSpan> spans, OtlpSpan root)
    {
        var tree = new List<OtlpSpan> { root };
        for (var i = 0; i < tree.Count; i++)
        {
            tree.AddRange(spans.Where(s => s.ParentSpanId == tree[i].SpanId && s.TraceId == tree[i].TraceId).OrderBy(s => s.Name == "CheckoutService.Total"));
        }

        return tree;
    }
}
