using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text;
using NUnit.Framework;
using SysdigTracers;
using SysdigTracers.Infrastructure;

namespace Tests.Runtime;

/// <summary>Table tests for every formatting rule, checked byte for byte and through the reference parser.</summary>
public class FormattingTests
{
    [TestCase("app.start", ">:t:app.start::")]
    [TestCase("a", ">:t:a::")]
    [TestCase("0abc", ">:t:_0abc::", TestName = "First tag starting with 0 gets an underscore")]
    [TestCase("a.0b", ">:t:a.0b::", TestName = "Later tags may start with 0")]
    [TestCase("", ">:t:_::", TestName = "Empty tag becomes underscore")]
    [TestCase("a..b.", ">:t:a._.b._::", TestName = "Empty components become underscores")]
    [TestCase("Program.<Main>$", ">:t:Program._Main_$::", TestName = "Angle brackets become underscores")]
    [TestCase("a:b=c\\d", ">:t:a_b_c_d::", TestName = "Colon equals and backslash become underscores")]
    [TestCase("a\nb\rc\0d\u007fe", ">:t:a_b_c_d_e::", TestName = "Control characters become underscores")]
    [TestCase("a b,c", ">:t:a b,c::", TestName = "Space and comma are kept in tags")]
    [TestCase("caf\u00e9.\u65e5\u672c", ">:t:caf\u00e9.\u65e5\u672c::", TestName = "Non-ASCII tags are UTF-8")]
    [TestCase("emoji\ud83d\ude00", ">:t:emoji\ud83d\ude00::", TestName = "Surrogate pairs are encoded")]
    public void Tags(string tag, string expected)
    {
        using var capture = TracerRecording.Start();
        new MethodTracer(tag).Enter();
        Assert.That(capture.Tracers, Is.EqualTo(new[] { expected }));
        Assert.That(capture.Single().Tags, Is.EqualTo(ExpectedFormat.Tags(tag)));
    }

    [TestCase("plain", "plain")]
    [TestCase("a,b:c=d\\e", "a\\,b\\:c\\=d\\\\e", TestName = "Separators and backslash are escaped")]
    [TestCase("<x> y.z", "<x> y.z", TestName = "Angle brackets spaces and dots are kept")]
    [TestCase("l1\nl2\r\0end", "l1 l2  end", TestName = "Newlines and NUL become spaces")]
    [TestCase("tab\there", "tab\there", TestName = "Tabs are kept")]
    [TestCase("\u001b[31m", " [31m", TestName = "Escape character becomes a space")]
    [TestCase("", "", TestName = "Empty string stays empty")]
    public void String_values(string value, string expectedEscaped)
    {
        using var capture = TracerRecording.Start();
        Tracer.Begin("t").Arg("v", value).Start();
        Assert.That(capture.Tracers[0], Is.EqualTo(">:t:t:v=" + expectedEscaped + ":"));
        Assert.That(capture.Parsed()[0].Args.Single().Value, Is.EqualTo(ExpectedFormat.Value(value)));
    }

    // Lone surrogates cannot be attribute arguments (the compiler stores attribute strings as UTF-8).
    [Test]
    public void Lone_surrogates()
    {
        string lowAlone = "a" + (char)0xDC00 + "b";
        string highAtEnd = "a" + (char)0xD800;
        string reversedPair = "a" + (char)0xDC00 + (char)0xD800 + "b";
        using var capture = TracerRecording.Start();
        new MethodTracer("x" + (char)0xD800 + "y").Enter();
        Tracer.Begin("t").Arg("v", lowAlone).Arg("w", highAtEnd).Arg("z", reversedPair).Arg("n" + (char)0xDFFF, 1).Start();
        Assert.That(capture.Tracers, Is.EqualTo(new[]
        {
            ">:t:x_y::",
            ">:t:t:v=a\ufffdb,w=a\ufffd,z=a\ufffd\ufffdb,n_=1:",
        }));
    }

    [TestCase("name", "name")]
    [TestCase("", "_", TestName = "Empty name becomes underscore")]
    [TestCase("a=b,c:d<e>f\\g\nh", "a_b_c_d_e_f_g_h", TestName = "Rejected name characters become underscores")]
    [TestCase("a.b c", "a.b c", TestName = "Dots and spaces are kept in names")]
    public void Argument_names(string name, string expected)
    {
        using var capture = TracerRecording.Start();
        Tracer.Begin("t").Arg(name, 1).Start();
        Assert.That(capture.Tracers[0], Is.EqualTo(">:t:t:" + expected + "=1:"));
    }

    [Test]
    public void Null_argument_name_becomes_underscore()
    {
        using var capture = TracerRecording.Start();
        Tracer.Begin("t").Arg(null!, 1).Start();
        Assert.That(capture.Tracers[0], Is.EqualTo(">:t:t:_=1:"));
    }

    private static IEnumerable<TestCaseData> Values()
    {
        yield return new TestCaseData(Fmt(0)).Returns("0");
        yield return new TestCaseData(Fmt(-42)).Returns("-42");
        yield return new TestCaseData(Fmt(int.MinValue)).Returns("-2147483648");
        yield return new TestCaseData(Fmt(long.MaxValue)).Returns("9223372036854775807");
        yield return new TestCaseData(Fmt(long.MinValue)).Returns("-9223372036854775808");
        yield return new TestCaseData(Fmt(ulong.MaxValue)).Returns("18446744073709551615");
        yield return new TestCaseData(Fmt((short)-7)).Returns("-7");
        yield return new TestCaseData(Fmt((ushort)7)).Returns("7");
        yield return new TestCaseData(Fmt((byte)255)).Returns("255");
        yield return new TestCaseData(Fmt((sbyte)-128)).Returns("-128");
        yield return new TestCaseData(Fmt(7u)).Returns("7");
        yield return new TestCaseData(Fmt((nint)(-5))).Returns("-5");
        yield return new TestCaseData(Fmt((nuint)5)).Returns("5");
        yield return new TestCaseData(Fmt(true)).Returns("true");
        yield return new TestCaseData(Fmt(false)).Returns("false");
        yield return new TestCaseData(Fmt('x')).Returns("x");
        yield return new TestCaseData(Fmt(':')).Returns("\\:");
        yield return new TestCaseData(Fmt(1.5)).Returns("1.5");
        yield return new TestCaseData(Fmt(-0.1f)).Returns("-0.1");
        yield return new TestCaseData(Fmt(double.NaN)).Returns("NaN");
        yield return new TestCaseData(Fmt(double.PositiveInfinity)).Returns("Infinity");
        yield return new TestCaseData(Fmt(1e300)).Returns("1E+300");
        yield return new TestCaseData(Fmt(12.50m)).Returns("12.50");
        yield return new TestCaseData(Fmt(new Guid("01234567-89ab-cdef-0123-456789abcdef"))).Returns("01234567-89ab-cdef-0123-456789abcdef");
        yield return new TestCaseData(Fmt(new DateTime(2024, 1, 2, 3, 4, 5, DateTimeKind.Utc))).Returns("2024-01-02T03\\:04\\:05.0000000Z");
        yield return new TestCaseData(Fmt(new DateTimeOffset(2024, 1, 2, 3, 4, 5, TimeSpan.FromHours(2)))).Returns("2024-01-02T03\\:04\\:05.0000000+02\\:00");
        yield return new TestCaseData(Fmt(TimeSpan.FromSeconds(90))).Returns("00\\:01\\:30");
        yield return new TestCaseData(Fmt(new DateOnly(2026, 12, 31))).Returns("2026-12-31");
        yield return new TestCaseData(Fmt(new TimeOnly(13, 14, 15, 16))).Returns("13\\:14\\:15.0160000");
        yield return new TestCaseData(Fmt<DateOnly?>(new DateOnly(2026, 12, 31))).Returns("2026-12-31");
        yield return new TestCaseData(Fmt<TimeOnly?>(new TimeOnly(13, 14))).Returns("13\\:14\\:00.0000000");
        yield return new TestCaseData(Fmt<DateOnly?>(null)).Returns("null");
        yield return new TestCaseData(Fmt(DayOfWeek.Friday)).Returns("Friday");
        yield return new TestCaseData(Fmt(AttributeTargets.Class | AttributeTargets.Method)).Returns("Class\\, Method");
        yield return new TestCaseData(Fmt<string?>(null)).Returns("null");
        yield return new TestCaseData(Fmt<object?>(null)).Returns("null");
        yield return new TestCaseData(Fmt<int?>(null)).Returns("null");
        yield return new TestCaseData(Fmt<int?>(-3)).Returns("-3");
        yield return new TestCaseData(Fmt<object>(12)).Returns("12");
        yield return new TestCaseData(Fmt(new Version(1, 2))).Returns("1.2");
        yield return new TestCaseData(Fmt(new ThrowingToString())).Returns("<ToString threw System.InvalidOperationException>");
        yield return new TestCaseData(Fmt(new NullToString())).Returns("null");
        yield return new TestCaseData(Fmt(new[] { 1 })).Returns("System.Int32[]");
    }

    [TestCaseSource(nameof(Values))]
    public string Values_are_formatted_in_the_invariant_culture(Func<string> format) => format();

    [Test]
    public void Numbers_ignore_the_current_culture()
    {
        CultureInfo saved = CultureInfo.CurrentCulture;
        try
        {
            CultureInfo.CurrentCulture = new CultureInfo("de-DE");
            Assert.That(Fmt(1.5)(), Is.EqualTo("1.5"));
            Assert.That(Fmt<object>(2.5)(), Is.EqualTo("2.5"));
            Assert.That(Fmt(-1)(), Is.EqualTo("-1"));
        }
        finally
        {
            CultureInfo.CurrentCulture = saved;
        }
    }

    [Test]
    public void Ids_are_t_p_or_positive_numbers()
    {
        using var capture = TracerRecording.Start();
        Tracer.Start("a").Dispose();
        Tracer.Start("a", SpanId.Process).Dispose();
        Tracer.Start("a", SpanId.FromNumber(10)).Dispose();
        new MethodTracer("a").Enter(0);
        new MethodTracer("a").Enter(-5);
        new MethodTracer("a").Enter(long.MaxValue);
        Assert.That(capture.Tracers, Is.EqualTo(new[]
        {
            ">:t:a::", "<:t:a::", ">:p:a::", "<:p:a::", ">:10:a::", "<:10:a::", ">:t:a::", ">:t:a::", ">:9223372036854775807:a::",
        }));
    }

    [Test]
    public void Long_values_are_cut_to_the_4096_byte_cap()
    {
        using var capture = TracerRecording.Start();
        Tracer.Begin("t").Arg("a", new string('x', 5000)).Arg("b", 1).Start();
        byte[] tracer = capture.TracerBytes[0];
        Assert.That(tracer, Has.Length.EqualTo(4096));
        ParsedTracer parsed = capture.Single();
        Assert.That(parsed.Args.Select(a => a.Key), Is.EqualTo(new[] { "a" }), "arguments after the cut are dropped");
        Assert.That(parsed.Args[0].Value, Is.EqualTo(new string('x', 4096 - ">:t:t:a=:".Length)));
    }

    [TestCase("\\", 2, TestName = "Escapes are never cut in half")]
    [TestCase("\u00e9", 2, TestName = "Two-byte sequences are never cut")]
    [TestCase("\u65e5", 3, TestName = "Three-byte sequences are never cut")]
    [TestCase("\ud83d\ude00", 4, TestName = "Four-byte sequences are never cut")]
    public void The_cap_falls_between_characters(string unit, int bytesPerUnit)
    {
        // Every offset of the boundary relative to the unit size.
        for (int shift = 0; shift < bytesPerUnit; shift++)
        {
            using var capture = TracerRecording.Start();
            string prefix = new string('p', shift);
            Tracer.Begin("t").Arg("v", prefix + string.Concat(Enumerable.Repeat(unit, 5000 / bytesPerUnit))).Start();
            byte[] tracer = capture.TracerBytes[0];
            Assert.That(tracer.Length, Is.LessThanOrEqualTo(4096).And.GreaterThan(4096 - bytesPerUnit));
            ParsedTracer parsed = capture.Single();
            string value = parsed.Args[0].Value;
            Assert.That(value, Does.StartWith(prefix));
            Assert.That(value.Substring(prefix.Length).Replace(unit, string.Empty), Is.Empty);
        }
    }

    [Test]
    public void Long_tags_are_capped_at_1024_bytes_and_leave_room_for_arguments()
    {
        using var capture = TracerRecording.Start();
        string tag = string.Join(".", Enumerable.Repeat("abcdefghi", 300));
        Tracer.Begin(tag).Arg("v", new string('x', 5000)).Start();
        ParsedTracer parsed = capture.Single();
        Assert.That(Encoding.UTF8.GetByteCount(parsed.TagPath), Is.LessThanOrEqualTo(1024));
        Assert.That(parsed.Tags.Last(), Is.Not.Empty);
        Assert.That(parsed.Args[0].Value.Length, Is.GreaterThan(2900));
        Assert.That(capture.TracerBytes[0], Has.Length.LessThanOrEqualTo(4096));
    }

    [Test]
    public void Many_arguments_stop_at_the_cap()
    {
        using var capture = TracerRecording.Start();
        TracerSpanBuilder builder = Tracer.Begin("t");
        for (int i = 0; i < 1000; i++)
        {
            builder.Arg("argument" + i, i);
        }

        builder.Start().Dispose();
        Assert.That(capture.TracerBytes.Select(b => b.Length), Has.All.LessThanOrEqualTo(4096));
        Assert.That(capture.Parsed().Select(p => p.Status), Has.All.EqualTo(TracerParseStatus.Complete));
        Assert.That(capture.Parsed()[0].Args.Count, Is.GreaterThan(100));
    }

    /// <summary>Formats a value as the single enter argument of a span and returns its escaped text.</summary>
    private static Func<string> Fmt<T>(T value) => () =>
    {
        using var capture = TracerRecording.Start();
        Tracer.Begin("t").Arg("v", value).Start();
        string text = capture.Tracers[0];
        Assert.That(capture.Parsed()[0].Status, Is.EqualTo(TracerParseStatus.Complete), text);
        const string Prefix = ">:t:t:v=";
        Assert.That(text, Does.StartWith(Prefix).And.EndWith(":"));
        return text.Substring(Prefix.Length, text.Length - Prefix.Length - 1);
    };

    private sealed class ThrowingToString
    {
        public override string ToString() => throw new InvalidOperationException("boom");
    }

    private sealed class NullToString
    {
        public override string ToString() => null!;
    }
}
