using System.IO;
using System.Linq;
using NUnit.Framework;
using SysdigTracers.Tool.Input;
using SysdigTracers.Tool.Spans;

namespace SysdigTracers.Tool.Tests;

/// <summary>The tracer grammar as sysdig reads it, and inputs that cannot be read: each named by its line.</summary>
public class ParsingTests
{
    [TestCase(">:t:::", true, "t", "", "")]
    [TestCase(">:t:a.b:x=1,y=2:", true, "t", "a|b", "x=1|y=2")]
    [TestCase(@">:t:a\.b\:c::", true, "t", "a.b:c", "")]
    [TestCase(@">:t:a:x=1\,y=2,z=3:", true, "t", "a", "x=1,y=2|z=3")]
    [TestCase("<:123:a:v=x y<>:trailing", false, "123", "a", "v=x y<>")]
    [TestCase("<:123:a:v=a=b,w=:", false, "123", "a", "v=a=b|w=")]
    [TestCase("<::a::", false, "", "a", "")]
    [TestCase("<:-5:a::", false, "-5", "a", "")]
    [TestCase(@">:pp:a\\b::", true, "pp", @"a\b", "")]
    public void Valid_tracers(string text, bool enter, string id, string tags, string args)
    {
        Tracer? tracer = TracerParser.Parse(text, out string? error);
        Assert.That(error, Is.Null);
        Assert.That(tracer!.IsEnter, Is.EqualTo(enter));
        Assert.That(tracer.Id, Is.EqualTo(id));
        Assert.That(string.Join("|", tracer.Tags), Is.EqualTo(tags));
        Assert.That(string.Join("|", tracer.Args.Select(a => a.Key + "=" + a.Value)), Is.EqualTo(args));
    }

    [TestCase(">:t:a:x=1,y=2", "incomplete")]
    [TestCase(">:t:0a::", "begins with 0")]
    [TestCase(">:012:a::", "begins with 0")]
    [TestCase(" >:t:a::", "starts with")]
    [TestCase(">:t:<Main>$::", "'<' in a tag")]
    [TestCase(">:x:a::", "not a number")]
    [TestCase(">:t:a:novalue:", "has no '='")]
    [TestCase(">:t:a", "incomplete")]
    public void Invalid_tracers_say_why(string text, string reason)
    {
        Assert.That(TracerParser.Parse(text, out string? error), Is.Null);
        Assert.That(error, Does.Contain(reason));
    }

    [Test]
    public void Malformed_and_truncated_lines_are_named_and_skipped()
    {
        var (closed, reading) = PairingTests.Pair("100 1 1 >:t:a::", "not a tracer", "120 1 x >:t:b::", "130 1 1 <:t:a:", "140 1 1 <:t:a::");
        Assert.That(closed.Single().Duration, Is.EqualTo(40));
        Assert.That(reading.Problems.First, Is.EqualTo(new[]
        {
            "test:3: expected 'TIME PID TID TRACER' (three numbers, then the tracer): not a tracer",
            "test:4: expected 'TIME PID TID TRACER' (three numbers, then the tracer): 120 1 x >:t:b::",
            "test:5: no closing ':' after the arguments (incomplete tracer): 130 1 1 <:t:a:",
        }));
    }

    [Test]
    public void A_last_line_without_a_newline_is_reported_as_still_being_written()
    {
        var reading = SpanReading.Read(new StringReader("# sysdig-tracers recording 1\n100 1 1 >:t:a::\n110 1 1 <:t:"), "rec", _ => { });
        Assert.That(reading.Events, Is.EqualTo(1));
        Assert.That(reading.Unended.Single().Tag, Is.EqualTo("a"));
        Assert.That(reading.Problems.First.Single(), Is.EqualTo("rec:3: the last line has no newline (the file is truncated or still being written); it was not read"));
    }

    [Test]
    public void An_unknown_format_or_version_reads_nothing_and_says_so()
    {
        var other = SpanReading.Read(new StringReader(">:t:a::\n<:t:a::\n"), "echo.txt", _ => { });
        Assert.That(other.Events, Is.Zero);
        Assert.That(other.Problems.First.Single(), Does.StartWith("echo.txt:1: neither a recording"));

        var future = SpanReading.Read(new StringReader("# sysdig-tracers recording 2\n100 1 1 >:t:a::\n"), "new.rec", _ => { });
        Assert.That(future.Events, Is.Zero);
        Assert.That(future.Problems.First.Single(), Does.StartWith("new.rec:1: recording format version '2' is not supported"));
    }

    [Test]
    public void Header_lines_of_several_processes_appending_to_one_file_are_accepted()
    {
        var (closed, reading) = PairingTests.Pair("100 1 1 >:t:a::", "# sysdig-tracers recording 1", "110 2 2 >:t:b::", "120 1 1 <:t:a::", "130 2 2 <:t:b::");
        Assert.That(closed.Select(s => s.Tag), Is.EqualTo(new[] { "a", "b" }));
        Assert.That(reading.Problems.Count, Is.Zero);
    }

    [Test]
    public void Sysdig_json_lines_with_either_field_names_are_read_and_others_are_named()
    {
        const string json = "[\n"
            + "{\"evt.dir\":\">\",\"evt.rawtime\":100,\"evt.type\":\"tracer\",\"proc.pid\":1,\"thread.tid\":2,\"evt.arg.id\":\"2\",\"evt.arg.tags\":\"a.b\",\"evt.arg.args\":\"x=1\"}\n"
            + ",{\"evt.dir\":\">\",\"evt.rawtime\":105,\"evt.type\":\"write\",\"proc.pid\":1,\"thread.tid\":2}\n"
            + ",{\"evt.dir\":\"<\",\"evt.rawtime\":\"150\",\"evt.type\":\"tracer\",\"proc.pid\":1,\"thread.tid\":3,\"span.id\":2,\"span.tags\":\"a.b\",\"span.args\":\"\"}\n"
            + ",{\"evt.dir\":\"<\",\"evt.type\":\"tracer\",\"proc.pid\":1}\n"
            + ",{not json\n"
            + "]\n";
        var closed = new System.Collections.Generic.List<Span>();
        SpanReading reading = SpanReading.Read(new StringReader(json), "cap.json", closed.Add);
        Assert.That(closed.Select(s => (s.Tag, s.Id, s.Duration, s.Enter.Tracer.Args.Single().Value)), Is.EqualTo(new[] { ("a.b", "2", (long?)50, "1") }));
        Assert.That(reading.Problems.First, Has.Count.EqualTo(2));
        Assert.That(reading.Problems.First[0], Does.StartWith("cap.json:5: missing or invalid evt.rawtime, thread.tid, span.id, span.tags"));
        Assert.That(reading.Problems.First[1], Does.StartWith("cap.json:6: not a JSON object"));
    }
}
