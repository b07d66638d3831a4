using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.Linq;
using NUnit.Framework;
using Tests.Runtime;

namespace Tests.Activities;

/// <summary>
/// Checks Activities against the sysdig tracers the same calls write: both sinks see the same spans, so every
/// enter tracer has one Activity, started in the same order, named after its tag, with the enter arguments as tags,
/// the exit's <c>return</c> as a tag and its <c>exception</c> as status Error with the <c>exception</c> event; and
/// every Activity's parent is the span that was open around it (the test's root for the outermost ones).
/// </summary>
public static class SpanExpectations
{
    /// <summary>Matches <paramref name="spans"/> (in start order) against synchronous, properly nested tracers.</summary>
    public static void MatchNested(IReadOnlyList<string> tracers, IReadOnlyList<Activity> spans, Activity root)
    {
        var parsed = tracers.Select(ReferenceTracerParser.Parse).ToList();
        var enters = new List<(ParsedTracer Enter, int Parent, ParsedTracer? Exit)>();
        var open = new Stack<int>();
        foreach (var tracer in parsed)
        {
            if (tracer.Direction == TracerDirection.Enter)
            {
                enters.Add((tracer, open.Count == 0 ? -1 : open.Peek(), null));
                open.Push(enters.Count - 1);
            }
            else
            {
                var index = open.Pop();
                Assert.That(enters[index].Enter.TagPath, Is.EqualTo(tracer.TagPath), "tracers nest");
                enters[index] = (enters[index].Enter, enters[index].Parent, tracer);
            }
        }

        Assert.That(spans.Select(s => s.DisplayName).ToList(), Has.Count.EqualTo(enters.Count), "one Activity per enter tracer: " + Names(spans));
        for (var i = 0; i < enters.Count; i++)
        {
            var (enter, parent, exit) = enters[i];
            Match(enter, exit, spans[i]);
            var expectedParent = parent < 0 ? root : spans[parent];
            Assert.That(spans[i].ParentSpanId, Is.EqualTo(expectedParent.SpanId), $"parent of {spans[i].DisplayName} (#{i})");
            Assert.That(spans[i].TraceId, Is.EqualTo(root.TraceId));
        }
    }

    /// <summary>
    /// Matches the spans of a state machine scenario, paired by span id: the Activities started in the same order as
    /// the enter tracers, each ended exactly when its sysdig span was closed, and each a child of the test's root or
    /// of another of its spans.
    /// </summary>
    public static void MatchById(IReadOnlyList<ParsedTracer> tracers, SpanCapture capture)
    {
        var pairs = Tests.Async.Spans.Pair(tracers);
        var started = capture.Started;
        Assert.That(started.Select(s => s.DisplayName).ToList(), Has.Count.EqualTo(pairs.Count), "one Activity per sysdig span: " + Names(started));
        for (var i = 0; i < pairs.Count; i++)
        {
            var (enter, exit) = pairs[i];
            Assert.That(capture.Ended(started[i]), Is.EqualTo(exit != null), $"the Activity of {enter.TagPath} ends when its span does");
            if (exit != null)
            {
                Match(enter, exit, started[i]);
            }

            Assert.That(started[i].ParentSpanId == capture.Root.SpanId || started.Any(s => s.SpanId == started[i].ParentSpanId),
                $"{started[i].DisplayName} is a child of the test's Activity or of one of its spans");
        }
    }

    /// <summary>One span: name, kind, code attributes, arguments, return value, exception.</summary>
    public static void Match(ParsedTracer enter, ParsedTracer? exit, Activity span)
    {
        var tag = enter.TagPath;
        Assert.That(tag == span.DisplayName || tag.EndsWith("." + span.DisplayName, StringComparison.Ordinal),
            $"the Activity {span.DisplayName} is named after the tag {tag}");
        Assert.That(span.Kind, Is.EqualTo(ActivityKind.Internal));
        Assert.That(span.GetTagItem("code.function.name") as string, Is.Not.Null.And.Not.Empty, "code.function.name of " + tag);
        foreach (var argument in enter.Args)
        {
            AssertTag(span, argument.Key, argument.Value);
        }

        Assert.That(exit, Is.Not.Null, "the span of " + tag + " ended");
        Assert.That(span.IsStopped, "the Activity of " + tag + " stopped");
        var exception = exit!.Args.FirstOrDefault(a => a.Key == "exception").Value;
        if (exception != null)
        {
            Assert.That(span.Status, Is.EqualTo(ActivityStatusCode.Error), "status of " + tag);
            var recorded = span.Events.Single(e => e.Name == "exception");
            Assert.That(recorded.Tags.Single(t => t.Key == "exception.type").Value, Is.EqualTo(exception));
            Assert.That(recorded.Tags.Single(t => t.Key == "exception.stacktrace").Value as string, Does.StartWith(exception));
            Assert.That(span.GetTagItem("return"), Is.Null, "no return value after an exception");
        }
        else
        {
            Assert.That(span.Status, Is.EqualTo(ActivityStatusCode.Unset), "status of " + tag);
            Assert.That(span.Events.Any(e => e.Name == "exception"), Is.False);
            var returned = exit.Args.FirstOrDefault(a => a.Key == "return").Value;
            if (returned != null)
            {
                AssertTag(span, "return", returned);
            }
            else
            {
                Assert.That(span.GetTagItem("return"), Is.Null, "no return tag without a return value in the exit of " + tag);
            }
        }
    }

    /// <summary>The tag <paramref name="key"/> says what the sysdig argument says (a null value gives no tag).</summary>
    public static void AssertTag(Activity span, string key, string sysdigValue)
    {
        var value = span.GetTagItem(key);
        if (sysdigValue == "null" && value == null)
        {
            return;
        }

        Assert.That(value, Is.Not.Null, $"tag {key} of {span.DisplayName}");
        var text = value switch
        {
            bool flag => flag ? "true" : "false",
            double number => number.ToString("R", CultureInfo.InvariantCulture),
            IFormattable formattable => formattable.ToString(null, CultureInfo.InvariantCulture),
            _ => value!.ToString()!,
        };
        Assert.That(Sysdig(text), Is.EqualTo(sysdigValue), $"tag {key} of {span.DisplayName}");
        if (long.TryParse(sysdigValue, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out _) && value is not (string or double))
        {
            Assert.That(value, Is.TypeOf<long>(), $"integer tag {key} of {span.DisplayName}");
        }
    }

    /// <summary>What sysdig receives of a text value: control characters but tab become spaces.</summary>
    static string Sysdig(string text) => new(text.Select(c => char.IsControl(c) && c != '\t' ? ' ' : c).ToArray());

    public static string Names(IEnumerable<Activity> spans) => string.Join(", ", spans.Select(s => s.DisplayName));
}
