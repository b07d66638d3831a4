using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Linq;
using NUnit.Framework;
using SysdigTracers;
using SysdigTracers.Infrastructure;

namespace Tests.Activities;

/// <summary>
/// The Activity side of the entry points a woven synchronous method calls, in the order it calls them: the argument
/// tags (typed, or formatted under the value policy) with and without the sysdig tracer, and the caller's
/// <see cref="Activity.Current"/> after the call.
/// </summary>
[NonParallelizable]
public class MethodTracerActivityTests
{
    static readonly TracedAssembly Assembly = new("Tests.MethodTracerActivity", "1.0.0.0", traceContext: false, maxSpansPerSecond: 0);

    static readonly string[] Names =
        { "i", "l", "flag", "d", "s", "none", "sh", "money", "boxed", "boxedText", "other", "noValue", "secret" };

    static MethodTracer NewTracer() => new("Tests.Args", Names, Assembly, "Tests.Args", null, null, 0, callToString: false);

    [TestCase(false)]
    [TestCase(true)]
    public void ArgumentsBecomeTagsOfTheirOwnTypeOrTheirText(bool sysdig)
    {
        using var capture = new SpanCapture();
        var tracer = NewTracer();
        bool write = sysdig;
        object? activity = tracer.StartActivity(ref write);
        TracerArgs args = tracer.BeginEnter(0, write, activity);
        args.Add(7);
        args.Add(-8L);
        args.Add(true);
        args.Add(1.5);
        args.Add("text");
        args.Add((string?)null);
        args.Add((short)-3);
        args.Add(2.50m);
        args.Add((object)9);
        args.Add((object)"boxed");
        args.Add(new Uncalled());
        args.Add((object?)null);
        args.AddRedacted();
        args.Write();
        tracer.End(write, activity, null);

        var span = capture.Spans.Single();
        Assert.That(span.TagObjects.ToArray(), Is.EqualTo(new[]
        {
            Tag("i", 7L),
            Tag("l", -8L),
            Tag("flag", true),
            Tag("d", 1.5),
            Tag("s", "text"),
            Tag("sh", -3L),
            Tag("money", "2.50"),
            Tag("boxed", 9L),
            Tag("boxedText", "boxed"),
            Tag("other", typeof(Uncalled).ToString()),
            Tag("secret", "<redacted>"),
        }));
        Assert.That(span.TagObjects.Select(t => t.Value!.GetType()).ToArray(), Is.EqualTo(new[]
        {
            typeof(long), typeof(long), typeof(bool), typeof(double), typeof(string), typeof(long), typeof(string),
            typeof(long), typeof(string), typeof(string), typeof(string),
        }));
    }

    [Test]
    public void AFloatIsTaggedAsTheDoubleOfTheTextTheTracerWrites()
    {
        using var capture = new SpanCapture();
        var tracer = new MethodTracer("Tests.Floats", new[] { "f", "boxed", "huge" }, Assembly, "Tests.Floats", null, null, 0, callToString: false);
        IReadOnlyList<string> tracers;
        using (var recording = TracerRecording.Start())
        {
            bool write = true;
            object? activity = tracer.StartActivity(ref write);
            TracerArgs args = tracer.BeginEnter(0, write, activity);
            args.Add(0.1f);
            args.Add((object)0.3f);
            args.Add(float.MaxValue);
            args.Write();
            tracer.End(write, activity, null);
            tracers = recording.Tracers;
        }

        Assert.That(tracers[0], Is.EqualTo(">:t:Tests.Floats:f=0.1,boxed=0.3,huge=3.4028235E+38:"));
        Assert.That(capture.Spans.Single().TagObjects.ToArray(), Is.EqualTo(new[]
        {
            Tag("f", 0.1),
            Tag("boxed", 0.3),
            Tag("huge", 3.4028235E+38),
        }));
    }

    [Test]
    public void AMethodThatLeavesAnotherActivityCurrentGivesTheCallerItsOwnBack()
    {
        using var capture = new SpanCapture();
        using var other = new ActivitySource("Tests.MethodTracerActivity.Other");
        var tracer = NewTracer();
        bool write = false;
        object? activity = tracer.StartActivity(ref write);
        Assert.That(Activity.Current, Is.SameAs(activity));

        // The body starts an Activity it never stops, so that it stays current.
        var leaked = other.StartActivity("leaked");
        Assert.That(Activity.Current, Is.SameAs(leaked));
        tracer.End(false, activity, null);

        Assert.That(Activity.Current, Is.SameAs(capture.Root));
        leaked!.Dispose();
    }

    [Test]
    public void AMethodThatClearsTheCurrentActivityGivesTheCallerItsOwnBack()
    {
        using var capture = new SpanCapture();
        var tracer = NewTracer();
        bool write = false;
        object? activity = tracer.StartActivity(ref write);
        Activity.Current = null;
        tracer.End(false, activity, new InvalidOperationException("failed"));

        Assert.That(Activity.Current, Is.SameAs(capture.Root));
        Assert.That(capture.Spans.Single().Status, Is.EqualTo(ActivityStatusCode.Error));
    }

    static System.Collections.Generic.KeyValuePair<string, object?> Tag(string key, object value) => new(key, value);

    sealed class Uncalled
    {
        public override string ToString() => throw new InvalidOperationException("the value policy does not call ToString");
    }
}
