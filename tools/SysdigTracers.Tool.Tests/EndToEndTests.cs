using System;
using System.IO;
using System.Linq;
using System.Text.Json;
using NUnit.Framework;

namespace SysdigTracers.Tool.Tests;

/// <summary>
/// The tool as a user runs it: `sysdig-tracers run -- dotnet SampleApp.dll` on the woven sample, then its export opened
/// by speedscope in headless Chromium.
/// </summary>
[NonParallelizable]
public class EndToEndTests
{
    static readonly string ToolDll = Path.Combine(TestContext.CurrentContext.TestDirectory, "sysdig-tracers.dll");

    [Test]
    public void Run_records_the_sample_and_summarises_what_it_did()
    {
        string recording = Path.Combine(Path.GetTempPath(), "sample-" + Guid.NewGuid().ToString("N") + ".rec");
        try
        {
            var (exitCode, output, error) = Dotnet(ToolDll, "run", "--keep", recording, "--", "dotnet", Repository.SampleApp);
            Assert.That(exitCode, Is.EqualTo(0), error);
            Assert.That(output, Does.Contain("delivery in"), "the sample's own output is untouched");
            Assert.That(output, Does.Not.Contain("Traces Summary"), "the summary goes to standard error");
            Assert.That(File.ReadLines(recording).First(), Is.EqualTo("# sysdig-tracers recording 1"));

            // What Program.cs does: Place twice (once throwing from Price), Invoice once (calling Tax), Ship, the async
            // DaysToDeliverAsync once, and the manual span sample.report with its child render.
            string[] rows = error.Split('\n').Select(l => l.Trim()).ToArray();
            AssertRow(rows, "SampleApp.Orders.OrderService.Place", hits: 2, errors: 1);
            AssertRow(rows, "SampleApp.Orders.OrderService.Price", hits: 2, errors: 1);
            AssertRow(rows, "SampleApp.Billing.InvoiceCalculator.Invoice", hits: 1, errors: 0);
            AssertRow(rows, "SampleApp.Billing.InvoiceCalculator.Tax", hits: 1, errors: 0);
            AssertRow(rows, "orders.ship", hits: 1, errors: 0);
            AssertRow(rows, "SampleApp.Shipping.ShippingPlanner.DaysToDeliverAsync", hits: 1, errors: 0);
            AssertRow(rows, "sample.report", hits: 1, errors: 0);
            AssertRow(rows, "sample.report.render", hits: 1, errors: 0);
            Assert.That(error, Does.Not.Contain("never ended").And.Not.Contain("without an enter").And.Not.Contain("problem"));
        }
        finally
        {
            File.Delete(recording);
        }
    }

    [Test]
    public void Run_passes_the_exit_code_through()
    {
        var (exitCode, _, error) = Dotnet(ToolDll, "run", "--", "sh", "-c", "exit 7");
        Assert.That(exitCode, Is.EqualTo(7));
        Assert.That(error, Does.Contain("no tracer was recorded"));
    }

    [Test]
    public void Speedscope_renders_the_exported_sample_profile_in_headless_chromium()
    {
        string chromium = BrowserTools.Chromium;
        string node = BrowserTools.Node;
        string speedscope = BrowserTools.Speedscope;
        string work = Path.Combine(TestContext.CurrentContext.WorkDirectory, "browser");
        Directory.CreateDirectory(work);
        string recording = Path.Combine(work, "sample.rec");
        string profile = Path.Combine(work, "sample.speedscope.json");
        string screenshot = Path.Combine(work, "speedscope-sample.png");
        File.Delete(recording);
        Assert.That(Dotnet(ToolDll, "run", "--keep", recording, "--", "dotnet", Repository.SampleApp).ExitCode, Is.EqualTo(0));
        Assert.That(Dotnet(ToolDll, "export", "--format", "speedscope", "-o", profile, recording).ExitCode, Is.EqualTo(0));

        var (exitCode, output, error) = ProcessRunner.Run(120, node, Path.Combine(BrowserTools.Folder, "render.mjs"), speedscope, profile, screenshot, chromium);
        Assert.That(exitCode, Is.EqualTo(0), error);
        using JsonDocument page = JsonDocument.Parse(output);
        string text = page.RootElement.GetProperty("text").GetString()!;
        Assert.That(page.RootElement.GetProperty("errors").GetArrayLength(), Is.Zero, output);

        // speedscope draws frame names on a canvas; the toolbar names the active profile: recording and thread.
        using JsonDocument exported = JsonDocument.Parse(File.ReadAllText(profile));
        string firstProfile = exported.RootElement.GetProperty("profiles")[0].GetProperty("name").GetString()!;
        Assert.That(text, Does.Contain(firstProfile), text);
        Assert.That(new FileInfo(screenshot).Length, Is.GreaterThan(10_000), "a screenshot was drawn");
        TestContext.AddTestAttachment(screenshot);
    }

    static void AssertRow(string[] rows, string tag, int hits, int errors)
    {
        string? row = rows.FirstOrDefault(r => r.StartsWith(tag + " ", StringComparison.Ordinal));
        Assert.That(row, Is.Not.Null, $"a row for {tag} in:\n{string.Join("\n", rows)}");
        string[] cells = row!.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        Assert.That((cells[1], cells[2]), Is.EqualTo((hits.ToString(), errors.ToString())), row);
    }

    static ProcessRunner.Result Dotnet(params string[] args) => ProcessRunner.Run(120, "dotnet", args);
}
