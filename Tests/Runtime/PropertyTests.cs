using System;
using System.Linq;
using System.Text;
using NUnit.Framework;
using SysdigTracers;
using SysdigTracers.Infrastructure;

namespace Tests.Runtime;

/// <summary>
/// Random tags, names and values are written, then read back with the reference parser: always complete, never over
/// 4096 bytes, and equal to the documented sanitising of the input. Seeded, so failures reproduce.
/// </summary>
public class PropertyTests
{
    private const int Iterations = 2000;

    [Test]
    public void Random_tags_read_back_as_their_sanitised_form([Values(1, 2, 3)] int seed)
    {
        var random = new Random(seed);
        using var capture = TracerRecording.Start();
        for (int i = 0; i < Iterations; i++)
        {
            string tag = RandomText.Next(random, 40);
            capture.Clear();
            new MethodTracer(tag).Enter();
            ParsedTracer parsed = capture.Single();
            Assert.That(parsed.Tags, Is.EqualTo(ExpectedFormat.Tags(tag)), () => Describe(tag));
        }
    }

    [Test]
    public void Random_child_tags_read_back_as_their_sanitised_form([Values(1, 2)] int seed)
    {
        var random = new Random(seed);
        using var capture = TracerRecording.Start();
        for (int i = 0; i < Iterations; i++)
        {
            string root = RandomText.Next(random, 20);
            string child = RandomText.Next(random, 20);
            capture.Clear();
            using (TracerSpan span = Tracer.Start(root))
            {
                span.Child(child).Dispose();
            }

            ParsedTracer[] parsed = capture.Parsed().ToArray();
            Assert.That(parsed.Select(p => p.Status), Has.All.EqualTo(TracerParseStatus.Complete), () => Describe(root) + " / " + Describe(child));
            Assert.That(parsed[1].Tags, Is.EqualTo(ExpectedFormat.Tags(root).Concat(ExpectedFormat.Tags(child, continuation: true))));
            Assert.That(parsed[2].Tags, Is.EqualTo(parsed[1].Tags), "child exit pairs with child enter");
        }
    }

    [Test]
    public void Random_names_and_values_read_back_as_their_sanitised_form([Values(1, 2, 3)] int seed)
    {
        var random = new Random(seed);
        using var capture = TracerRecording.Start();
        for (int i = 0; i < Iterations; i++)
        {
            string name1 = RandomText.Next(random, 10);
            string value1 = RandomText.Next(random, 60);
            string value2 = RandomText.Next(random, 60);
            capture.Clear();
            var method = new MethodTracer("m", new[] { name1, "second" });
            TracerArgs args = method.BeginEnter(0);
            args.Add(value1);
            args.Add(value2);
            args.Write();
            ParsedTracer parsed = capture.Single();
            Assert.That(parsed.Args.Select(a => a.Key), Is.EqualTo(new[] { ExpectedFormat.Name(name1), "second" }), () => Describe(name1));
            Assert.That(parsed.Args.Select(a => a.Value), Is.EqualTo(new[] { ExpectedFormat.Value(value1), ExpectedFormat.Value(value2) }), () => Describe(value1) + " / " + Describe(value2));
        }
    }

    [Test]
    public void Oversized_random_input_is_capped_and_still_complete([Values(1, 2)] int seed)
    {
        var random = new Random(seed);
        using var capture = TracerRecording.Start();
        for (int i = 0; i < 200; i++)
        {
            string tag = RandomText.Next(random, 1500);
            string value = RandomText.Next(random, 3000);
            string name = RandomText.Next(random, 400);
            capture.Clear();
            Tracer.Begin(tag, SpanId.New()).Arg(name, value).Arg("n", i).Arg(name, value).Start().Arg("r", value).Dispose();
            foreach (byte[] tracer in capture.TracerBytes)
            {
                Assert.That(tracer, Has.Length.LessThanOrEqualTo(4096));
                ParsedTracer parsed = ReferenceTracerParser.Parse(tracer);
                Assert.That(parsed.Status, Is.EqualTo(TracerParseStatus.Complete), () => parsed.Reason);
                Assert.That(parsed.Length, Is.EqualTo(tracer.Length));
                Assert.That(parsed.Args.Count, Is.GreaterThanOrEqualTo(1), "the first argument always gets in");
                foreach (var arg in parsed.Args.Where(a => a.Key != "n" && a.Key != "r"))
                {
                    Assert.That(ExpectedFormat.Name(name).StartsWith(arg.Key, StringComparison.Ordinal), Is.True, "name is a prefix");
                    Assert.That(ExpectedFormat.Value(value).StartsWith(arg.Value, StringComparison.Ordinal), Is.True, "value is a prefix");
                }

                string expectedTags = string.Join(".", ExpectedFormat.Tags(tag));
                Assert.That(expectedTags.StartsWith(parsed.TagPath, StringComparison.Ordinal), Is.True, "tags are a prefix");
                Assert.That(Encoding.UTF8.GetByteCount(parsed.TagPath), Is.LessThanOrEqualTo(1024));
            }
        }
    }

    private static string Describe(string text) =>
        "\"" + string.Concat(text.Select(c => c < 0x20 || c > 0x7E ? $"\\u{(int)c:x4}" : c.ToString())) + "\"";
}
