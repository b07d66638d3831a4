using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.Json;
using System.Text.Json.Nodes;
using Json.Schema;
using NUnit.Framework;

namespace SysdigTracers.Tool.Tests;

/// <summary>
/// Exports of Inputs/shop.rec, validated against each format's schema (speedscope's own, from its npm package; the
/// Chrome trace-event fields its format document requires), checked for what the schemas cannot say, and approved.
/// </summary>
public class ExportTests
{
    [Test]
    public void Speedscope_export_follows_the_file_format_schema_and_nests()
    {
        JsonNode profile = Export("speedscope");
        Validate(profile, BrowserTools.SpeedscopeSchema());
        Approval.Verify("export_speedscope", profile.ToJsonString(new JsonSerializerOptions { WriteIndented = true }));

        string[] frames = profile["shared"]!["frames"]!.AsArray().Select(f => (string)f!["name"]!).ToArray();
        foreach (JsonNode? p in profile["profiles"]!.AsArray())
        {
            var open = new Stack<int>();
            double last = double.MinValue;
            foreach (JsonNode? e in p!["events"]!.AsArray())
            {
                double at = (double)e!["at"]!;
                Assert.That(at, Is.GreaterThanOrEqualTo(last), "events in time order");
                last = at;
                int frame = (int)e["frame"]!;
                if ((string)e["type"]! == "O")
                {
                    open.Push(frame);
                }
                else
                {
                    Assert.That(open.Pop(), Is.EqualTo(frame), "a close matches the innermost open frame");
                }
            }

            Assert.That(open, Is.Empty);
        }

        Assert.That(frames, Does.Contain("MyShop.Reports.Render.Page"));
    }

    [Test]
    public void Chrome_export_has_the_required_fields_and_one_event_per_span_on_its_thread()
    {
        JsonNode trace = Export("chrome");
        Validate(trace, JsonSchema.FromFile(Repository.Input("chrome-trace-event.schema.json")));
        Approval.Verify("export_chrome", trace.ToJsonString(new JsonSerializerOptions { WriteIndented = true }));

        var spans = trace["traceEvents"]!.AsArray().Where(e => (string)e!["ph"]! != "M").ToList();
        Assert.That(spans.Count(e => (string)e!["ph"]! == "X"), Is.EqualTo(9));
        Assert.That(spans.Where(e => (string)e!["ph"]! == "B").Select(e => (string)e!["name"]!), Is.EqualTo(new[] { "MyShop.Orders.Ship" }));
        JsonNode async = spans.Single(e => (string)e!["name"]! == "MyShop.Shipping.DaysToDeliverAsync")!;
        Assert.That(((int)async["tid"]!, (double)async["ts"]!, (double)async["dur"]!), Is.EqualTo((4201, 2000.0, 2100.0)), "on the entering thread, in µs");
    }

    static JsonNode Export(string format)
    {
        string path = Path.GetTempFileName();
        try
        {
            Tool.Result result = Tool.Run("export", "--format", format, "-o", path, Repository.Input("shop.rec"));
            Assert.That(result.ExitCode, Is.EqualTo(0), result.Error);
            return JsonNode.Parse(File.ReadAllText(path))!;
        }
        finally
        {
            File.Delete(path);
        }
    }

    static void Validate(JsonNode document, JsonSchema schema)
    {
        EvaluationResults results = schema.Evaluate(JsonDocument.Parse(document.ToJsonString()).RootElement, new EvaluationOptions { OutputFormat = OutputFormat.List });
        string errors = string.Join("\n", (results.Details ?? []).Where(d => d.Errors != null).SelectMany(d => d.Errors!.Select(e => d.InstanceLocation + ": " + e.Value)));
        Assert.That(results.IsValid, errors);
    }
}
