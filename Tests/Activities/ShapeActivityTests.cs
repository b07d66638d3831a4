using System;
using System.Collections.Generic;
using System.Diagnostics;
using NUnit.Framework;
using Tests.Weaving;

namespace Tests.Activities;

/// <summary>
/// Every shape of the weaving tests (<see cref="ShapeCases"/>) run woven under the OpenTelemetry SDK: each call that
/// writes sysdig tracers also records the same spans as Activities, nested as the calls are, under the test's own
/// hand-written Activity; and the woven code still behaves as the unwoven code with a listener attached.
/// </summary>
public class ShapeActivityTests
{
    [TestCaseSource(typeof(ShapeCases), nameof(ShapeCases.All))]
    public void RecordsTheSameSpansAsActivities(Func<Target, object?> call, string[] expectedTracers)
    {
        // A copy of its own, so that static constructors run here as in the weaving tests' copy.
        var woven = new Target(WeavingFixture.Weave("activities", WeavingFixture.MainConfig).Assembly);
        var unwoven = new Target(WeavingFixture.Unwoven);
        var original = WeavingFixture.Observe(() => call(unwoven));

        using var capture = new SpanCapture();
        List<Activity> spans = new();
        var outcome = WeavingFixture.Observe(() =>
        {
            try
            {
                return call(woven);
            }
            finally
            {
                // Before Observe describes the result (with a woven ToString, another span).
                spans = capture.Spans;
            }
        });
        Assert.That(Activity.Current, Is.SameAs(capture.Root), "the caller's Activity.Current is restored");

        Assert.That(outcome.Result, Is.EqualTo(original.Result), "result");
        Assert.That(outcome.Exception?.GetType(), Is.EqualTo(original.Exception?.GetType()), "exception");
        Assert.That(outcome.ExceptionFrames, Is.EqualTo(original.ExceptionFrames), "exception stack trace");
        SpanExpectations.MatchNested(outcome.Tracers, spans, capture.Root);
    }
}
