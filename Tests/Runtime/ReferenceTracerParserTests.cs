using System.Collections.Generic;
using System.Linq;
using NUnit.Framework;

namespace Tests.Runtime;

/// <summary>The reference parser against the tested examples of the format doc, and its defects.</summary>
public class ReferenceTracerParserTests
{
    [Test]
    public void Minimal_enter_on_the_thread_id()
    {
        ParsedTracer t = ReferenceTracerParser.Parse(">:t:::");
        Assert.That(t.Status, Is.EqualTo(TracerParseStatus.Complete));
        Assert.That(t.Direction, Is.EqualTo(TracerDirection.Enter));
        Assert.That(t.IdText, Is.EqualTo("t"));
        Assert.That(t.Tags, Is.Empty);
        Assert.That(t.Args, Is.Empty);
    }

    [Test]
    public void Tags_and_args()
    {
        ParsedTracer t = ReferenceTracerParser.Parse(">:t:a.b:x=1,y=2:");
        Assert.That(t.Tags, Is.EqualTo(new[] { "a", "b" }));
        Assert.That(t.Args, Is.EqualTo(new[] { Pair("x", "1"), Pair("y", "2") }));
    }

    [Test]
    public void Escapes_in_tags_and_values()
    {
        Assert.That(ReferenceTracerParser.Parse(">:t:a\\.b\\:c::").Tags, Is.EqualTo(new[] { "a.b:c" }));
        Assert.That(ReferenceTracerParser.Parse(">:t:a:x=1\\,y=2,z=3:").Args, Is.EqualTo(new[] { Pair("x", "1,y=2"), Pair("z", "3") }));
    }

    [Test]
    public void Exit_with_numeric_id()
    {
        ParsedTracer t = ReferenceTracerParser.Parse("<:123:a::");
        Assert.That(t.Status, Is.EqualTo(TracerParseStatus.Complete));
        Assert.That(t.Direction, Is.EqualTo(TracerDirection.Exit));
        Assert.That(t.Id, Is.EqualTo(123));
    }

    [TestCase(">:t:a:x=1,y=2", TracerParseStatus.Incomplete, TestName = "No closing colon is incomplete")]
    [TestCase(">:t:0a::", TracerParseStatus.Incomplete, TestName = "First tag starting with 0 is incomplete")]
    [TestCase(">:0123:a::", TracerParseStatus.Incomplete, TestName = "Id starting with 0 is incomplete")]
    [TestCase(">:0:a::", TracerParseStatus.Incomplete, TestName = "Id 0 is incomplete")]
    [TestCase(" >:t:a::", TracerParseStatus.Invalid, TestName = "Leading space is invalid")]
    [TestCase(">:t:<Main>$::", TracerParseStatus.Invalid, TestName = "Less-than in a tag is invalid")]
    [TestCase(">:t:a=b::", TracerParseStatus.Invalid, TestName = "Equals in a tag is invalid")]
    [TestCase(">:t:a\nb::", TracerParseStatus.Invalid, TestName = "Newline in a tag is invalid")]
    [TestCase(">:t:a:x<=1:", TracerParseStatus.Invalid, TestName = "Less-than in a name is invalid")]
    [TestCase(">:t:a:x=1\0:", TracerParseStatus.Incomplete, TestName = "NUL is incomplete")]
    [TestCase(">:t:a:x=1\\", TracerParseStatus.Incomplete, TestName = "Trailing backslash is incomplete")]
    [TestCase(">:t:b.0a::", TracerParseStatus.Complete, TestName = "Later tag starting with 0 is fine")]
    [TestCase(">:t:a:x=<1> 2\n3:", TracerParseStatus.Complete, TestName = "Angle brackets, spaces and newlines are kept in values")]
    [TestCase(">:t:a::trailing", TracerParseStatus.Complete, TestName = "Bytes after the closing colon are ignored")]
    public void Status_of(string written, TracerParseStatus expected)
    {
        Assert.That(ReferenceTracerParser.Parse(written).Status, Is.EqualTo(expected));
    }

    [Test]
    public void Unescaped_equals_in_a_value_is_a_warning()
    {
        ParsedTracer t = ReferenceTracerParser.Parse(">:t:a:x=1=2:");
        Assert.That(t.Status, Is.EqualTo(TracerParseStatus.Complete));
        Assert.That(t.Warnings, Has.Count.EqualTo(1));
        Assert.That(ReferenceTracerParser.Parse(">:t:a:x=1\\=2:").Warnings, Is.Empty);
    }

    [Test]
    public void Invalid_utf8_is_reported()
    {
        byte[] bytes = System.Text.Encoding.ASCII.GetBytes(">:t:a:x=1:").ToArray();
        bytes[8] = 0xC3;
        Assert.That(ReferenceTracerParser.Parse(bytes).Status, Is.EqualTo(TracerParseStatus.Invalid));
    }

    private static KeyValuePair<string, string> Pair(string name, string value) => new(name, value);
}
