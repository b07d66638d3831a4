using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using NUnit.Framework;
using SysdigTracers;
using SysdigTracers.Infrastructure;
using Tests.Activities;

namespace Tests.Runtime;

/// <summary>
/// <see cref="DateOnly"/> and <see cref="TimeOnly"/> are written in ISO 8601 (their <c>O</c> format), as
/// <see cref="DateTime"/> is, whatever the current culture: as enter argument and as return value, in the sysdig
/// tracer and in the Activity tag, plain, nullable and boxed, through the entry points a woven method calls.
/// </summary>
[NonParallelizable]
public class DateAndTimeValueTests
{
    static readonly TracedAssembly Assembly = new("Tests.DateAndTime", "1.0.0.0", traceContext: false, maxSpansPerSecond: 0);

    static IEnumerable<TestCaseData> Values()
    {
        yield return Case("DateOnly", new DateOnly(2026, 12, 31), "2026-12-31");
        yield return Case("TimeOnly", new TimeOnly(23, 4, 5, 678), "23:04:05.6780000");
        yield return Case("TimeOnly with ticks", new TimeOnly(7, 8, 9).Add(TimeSpan.FromTicks(1234567)), "07:08:09.1234567");
        yield return Case("DateOnly.MinValue", DateOnly.MinValue, "0001-01-01");
        yield return Case("TimeOnly.MaxValue", TimeOnly.MaxValue, "23:59:59.9999999");
        yield return Case<DateOnly?>("DateOnly?", new DateOnly(2026, 1, 2), "2026-01-02");
        yield return Case<TimeOnly?>("TimeOnly?", new TimeOnly(0, 0), "00:00:00.0000000");
        yield return Case<DateOnly?>("empty DateOnly?", null, null);
        yield return Case<TimeOnly?>("empty TimeOnly?", null, null);
        yield return Case<object>("boxed DateOnly", new DateOnly(1999, 9, 9), "1999-09-09");
        yield return Case<object>("boxed TimeOnly", new TimeOnly(12, 30), "12:30:00.0000000");
    }

    [TestCaseSource(nameof(Values))]
    public void AreWrittenInIso8601AsArgumentAndReturnValue(Action check)
    {
        CultureInfo saved = CultureInfo.CurrentCulture;
        try
        {
            // A culture that writes the month first and another separator: neither may show.
            CultureInfo.CurrentCulture = new CultureInfo("en-US");
            check();
            CultureInfo.CurrentCulture = new CultureInfo("de-DE");
            check();
        }
        finally
        {
            CultureInfo.CurrentCulture = saved;
        }
    }

    static TestCaseData Case<T>(string name, T value, string? expected) =>
        new TestCaseData(new Action(() =>
        {
            // null in a tracer, no tag at all; ':' escaped in the tracer only.
            string text = expected?.Replace(":", "\\:") ?? "null";
            Assert.That(Traced(value, listened: false).Tracers, Is.EqualTo(new[]
            {
                ">:t:Tests.Dates:v=" + text + ":", "<:t:Tests.Dates:return=" + text + ":",
            }), "sysdig alone");

            var (tracers, span) = Traced(value, listened: true);
            Assert.That(tracers, Is.EqualTo(new[]
            {
                ">:t:Tests.Dates:v=" + text + ":", "<:t:Tests.Dates:return=" + text + ":",
            }), "sysdig and an Activity");
            Assert.That(span!.GetTagItem("v"), Is.EqualTo(expected), "argument tag");
            Assert.That(span.GetTagItem("return"), Is.EqualTo(expected), "return tag");
        })).SetName("{m}(" + name + ")");

    /// <summary>A call of a woven method with one argument that returns it: <c>Start&lt;T&gt;</c>, then <c>End&lt;T&gt;</c>.</summary>
    static (IReadOnlyList<string> Tracers, System.Diagnostics.Activity? Span) Traced<T>(T value, bool listened)
    {
        using var capture = listened ? new SpanCapture() : null;
        var tracer = new MethodTracer("Tests.Dates", new[] { "v" }, Assembly, "Tests.Dates", null, null, 0, callToString: false);
        using var recording = TracerRecording.Start();
        object? activity = tracer.Start(out bool write, value);
        tracer.End(write, activity, null, value);
        return (recording.Tracers, capture?.Spans.Single());
    }
}
