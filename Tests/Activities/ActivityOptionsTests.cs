using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Reflection;
using System.Threading.Tasks;
using NUnit.Framework;
using OpenTelemetry;
using OpenTelemetry.Trace;
using SysdigTracers;
using Tracer = SysdigTracers.Tracer;
using Tests.Weaving;

namespace Tests.Activities;

/// <summary>
/// What a woven method's Activity carries and when there is none: its source, name and code attributes, sampling,
/// no listener at all, concurrent callers, the optional trace context in the enter tracer, and the manual span API.
/// </summary>
[NonParallelizable]
public class ActivityOptionsTests
{
    static Assembly Woven => WeavingFixture.Weave("activities", WeavingFixture.MainConfig).Assembly;

    static Target Shapes => new(Woven);

    [Test]
    public void TheSourceIsNamedAfterTheAssemblyWithItsVersion()
    {
        using var capture = new SpanCapture();
        Shapes.Static("Shapes.Plain", "Add", 1, 2);
        var span = capture.Spans.Single();
        Assert.That(span.Source.Name, Is.EqualTo("AssemblyToProcess"));
        Assert.That(span.Source.Version, Is.EqualTo(Woven.GetName().Version!.ToString()));
    }

    [Test]
    public void FodyWeaversXmlRenamesTheSource()
    {
        var renamed = WeavingFixture.Weave(
            "activities-renamed",
            WeavingFixture.MainConfig.Replace("<SysdigTracers ", "<SysdigTracers ActivitySourceName='MyShop.Orders' ")).Assembly;
        using var capture = new SpanCapture();
        new Target(renamed).Static("Shapes.Plain", "Add", 1, 2);
        Assert.That(capture.Spans.Single().Source.Name, Is.EqualTo("MyShop.Orders"));
    }

    [Test]
    public void TheSpanIsNamedTypeDotMethodWithTheCodeAttributesOfTheStableConventions()
    {
        using var capture = new SpanCapture();
        Shapes.Static("Shapes.Plain", "Add", 1, 2);
        var span = capture.Spans.Single();
        Assert.That(span.DisplayName, Is.EqualTo("Plain.Add"));
        Assert.That(span.Kind, Is.EqualTo(ActivityKind.Internal));
        Assert.That(span.GetTagItem("code.function.name"), Is.EqualTo("AssemblyToProcess.Shapes.Plain.Add"));
        var path = (string)span.GetTagItem("code.file.path")!;
        Assert.That(path.Replace('\\', '/'), Does.EndWith("AssemblyToProcess/Shapes/Plain.cs"));
        var line = (long)span.GetTagItem("code.line.number")!;
        Assert.That(File.ReadAllLines(path)[line - 1], Does.Contain("public static int Add(int a, int b)"));
        Assert.That(span.GetTagItem("a"), Is.EqualTo(1L));
        Assert.That(span.GetTagItem("b"), Is.EqualTo(2L));
        Assert.That(span.GetTagItem("return"), Is.EqualTo(3L));
    }

    [Test]
    public void CodeAttributesFalseLeavesTheCodeTagsOut()
    {
        var bare = WeavingFixture.Weave(
            "activities-no-code-attributes",
            WeavingFixture.MainConfig.Replace("<SysdigTracers ", "<SysdigTracers CodeAttributes='false' ")).Assembly;
        using var capture = new SpanCapture();
        new Target(bare).Static("Shapes.Plain", "Add", 1, 2);
        var span = capture.Spans.Single();
        Assert.That(span.DisplayName, Is.EqualTo("Plain.Add"));
        Assert.That(span.TagObjects.Select(t => t.Key), Is.EqualTo(new[] { "a", "b", "return" }));
    }

    [Test]
    public void TheCodeAttributesAreThereForTheSampler()
    {
        var seen = new List<string?>();
        using var capture = new SpanCapture(new RecordingSampler(seen));
        Shapes.Static("Shapes.Plain", "Add", 1, 2);
        Assert.That(seen, Is.EqualTo(new[] { "AssemblyToProcess.Shapes.Plain.Add" }));
        Assert.That(
            capture.Spans.Single().TagObjects.Select(t => t.Key),
            Is.EqualTo(new[] { "code.function.name", "code.file.path", "code.line.number", "a", "b", "return" }));
    }

    [Test]
    public void ACustomTagIsTheSpanName()
    {
        using var capture = new SpanCapture();
        var tagged = Shapes.New("Shapes.Tagged");
        Target.Call(tagged, "Listed");
        Target.Call(tagged, "Special");
        Assert.That(capture.Spans.Select(s => s.DisplayName), Is.EqualTo(new[] { "catalog.ctor", "catalog.Listed", "catalog.special.item" }));
        Assert.That(capture.Spans.Last().GetTagItem("code.function.name"), Is.EqualTo("AssemblyToProcess.Shapes.Tagged.Special"));
    }

    [Test]
    public void ValuesAreTypedTags()
    {
        using var capture = new SpanCapture();
        var point = Shapes.New("Shapes.Point", 1, 2);
        Target.Call(point, "Move", 2, 2);
        var move = capture.Spans.Single(s => s.DisplayName == "Point.Move");
        Assert.That(move.GetTagItem("dx"), Is.EqualTo(2L));
        Assert.That(move.GetTagItem("return"), Is.EqualTo("(3,4,99)"), "a struct: its text, as sysdig gets it (unescaped)");
        var toString = capture.Spans.Single(s => s.DisplayName == "Point.ToString");
        Assert.That(toString.ParentSpanId, Is.EqualTo(move.SpanId), "ToString, called once to format the return value, nests under the method");
    }

    [Test]
    public void SampledOutCallsHaveNoActivityAndStillWriteTheirTracers()
    {
        using var capture = new SpanCapture(new RootOnlySampler());
        var outcome = WeavingFixture.Observe(() => Shapes.Static("Shapes.Plain", "Add", 1, 2));
        Assert.That(outcome.Result, Is.EqualTo("3"));
        Assert.That(outcome.Tracers, Has.Count.EqualTo(2));
        Assert.That(outcome.Tracers[0], Does.Not.Contain("trace_id"));
        Assert.That(capture.Started, Is.Empty);
        Assert.That(Activity.Current, Is.SameAs(capture.Root));
    }

    [Test]
    public void WithoutAListenerThereIsNoActivityAndNothingIsAllocated()
    {
        var source = ActivityListenerProbe();
        Assert.That(source, Is.False, "nothing listens to the woven assembly's source here");
        try
        {
            var doNothing = Woven.GetType("AssemblyToProcess.Shapes.Plain")!.GetMethod("DoNothing")!.CreateDelegate<Action>();
            foreach (var enabled in new[] { true, false })
            {
                Tracer.Enabled = enabled;
                doNothing();
                var before = GC.GetAllocatedBytesForCurrentThread();
                for (var i = 0; i < 10_000; i++)
                {
                    doNothing();
                }

                Assert.That(GC.GetAllocatedBytesForCurrentThread() - before, Is.Zero, "allocated with sysdig " + (enabled ? "on" : "off"));
                Assert.That(Activity.Current, Is.Null);
            }
        }
        finally
        {
            Tracer.Enabled = true;
        }
    }

    [Test]
    public void ConcurrentCallersEachGetTheirOwnChild()
    {
        using var capture = new SpanCapture();
        var source = new ActivitySource(SpanCapture.TestSourceName);
        var callers = new ActivitySpanId[64];
        Parallel.For(0, callers.Length, i =>
        {
            using var caller = source.StartActivity("caller")!;
            callers[i] = caller.SpanId;
            Assert.That(Shapes.Static("Shapes.Plain", "Add", i, 0), Is.EqualTo(i));
            Assert.That(Activity.Current, Is.SameAs(caller));
        });
        var spans = capture.Spans;
        for (var i = 0; i < callers.Length; i++)
        {
            var span = spans.Single(s => s.ParentSpanId == callers[i]);
            Assert.That(span.GetTagItem("a"), Is.EqualTo((long)i));
        }
    }

    [Test]
    public void TraceContextPutsTheActivitysIdsInTheEnterTracer()
    {
        var correlated = WeavingFixture.Weave(
            "activities-trace-context",
            WeavingFixture.MainConfig.Replace("<SysdigTracers ", "<SysdigTracers TraceContext='true' ")).Assembly;
        var outcome = WeavingFixture.Observe(() => new Target(correlated).Static("Shapes.Plain", "DoNothing"));
        Assert.That(outcome.Tracers[0], Is.EqualTo(">:t:AssemblyToProcess.Shapes.Plain.DoNothing::"), "no Activity, no ids");

        using var capture = new SpanCapture();
        outcome = WeavingFixture.Observe(() =>
        {
            new Target(correlated).Static("Shapes.Plain", "DoNothing");
            return new Target(correlated).Static("Shapes.Plain", "Add", 1, 2);
        });
        var spans = capture.Spans;
        Assert.That(outcome.Tracers, Is.EqualTo(new[]
        {
            $">:t:AssemblyToProcess.Shapes.Plain.DoNothing:trace_id={spans[0].TraceId},span_id={spans[0].SpanId}:",
            "<:t:AssemblyToProcess.Shapes.Plain.DoNothing::",
            $">:t:AssemblyToProcess.Shapes.Plain.Add:trace_id={spans[1].TraceId},span_id={spans[1].SpanId},a=1,b=2:",
            "<:t:AssemblyToProcess.Shapes.Plain.Add:return=3:",
        }));
    }

    [Test]
    public void ManualSpansAreActivitiesOfTheSysdigTracersSource()
    {
        using var capture = new SpanCapture();
        using (var span = Tracer.Begin("orders.place").Arg("customer", "c-17").Arg("items", 3).Start())
        {
            using (span.Child("db"))
            {
            }

            span.Arg("status", "ok");
        }

        var spans = capture.Spans;
        Assert.That(spans.Select(s => s.DisplayName), Is.EqualTo(new[] { "orders.place", "db" }));
        Assert.That(spans.Select(s => s.Source.Name), Has.All.EqualTo(Tracer.ActivitySourceName));
        Assert.That(spans[0].ParentSpanId, Is.EqualTo(capture.Root.SpanId));
        Assert.That(spans[1].ParentSpanId, Is.EqualTo(spans[0].SpanId));
        Assert.That(spans[0].GetTagItem("customer"), Is.EqualTo("c-17"));
        Assert.That(spans[0].GetTagItem("items"), Is.EqualTo(3L));
        Assert.That(spans[0].GetTagItem("status"), Is.EqualTo("ok"));
        Assert.That(Activity.Current, Is.SameAs(capture.Root));
    }

    [Test]
    public void ManualSpansAreActivitiesEvenWithTheSysdigSwitchOff()
    {
        using var capture = new SpanCapture();
        using var tracers = TracerRecording.Start();
        Tracer.Enabled = false;
        try
        {
            using (var span = Tracer.Start("batch"))
            {
                Assert.That(span.IsActive);
            }

            Assert.That(tracers.Tracers, Is.Empty);
            Assert.That(capture.Spans.Single().DisplayName, Is.EqualTo("batch"));
        }
        finally
        {
            Tracer.Enabled = true;
        }
    }

    [Test]
    public void TraceContextPutsTheIdsOfManualSpansInTheirEnterTracers()
    {
        Tracer.TraceContext = true;
        try
        {
            List<string> tracers;
            List<Activity> spans;
            using (var capture = new SpanCapture())
            using (var recording = TracerRecording.Start())
            {
                using (var span = Tracer.Begin("orders.place").Arg("customer", "c-17").Start())
                {
                    using (span.BeginChild("db").Arg("table", "orders").Start())
                    {
                    }

                    using (span.Child("cache"))
                    {
                    }

                    span.Arg("status", "ok");
                }

                tracers = recording.Tracers.ToList();
                spans = capture.Spans;
            }

            string Ids(int i) => $"trace_id={spans[i].TraceId},span_id={spans[i].SpanId}";
            Assert.That(tracers, Is.EqualTo(new[]
            {
                $">:t:orders.place:{Ids(0)},customer=c-17:",
                $">:t:orders.place.db:{Ids(1)},table=orders:",
                "<:t:orders.place.db::",
                $">:t:orders.place.cache:{Ids(2)}:",
                "<:t:orders.place.cache::",
                "<:t:orders.place:status=ok:",
            }));
        }
        finally
        {
            Tracer.TraceContext = false;
        }
    }

    [Test]
    public void ManualSpansWithoutAnActivityCarryNoIds()
    {
        Tracer.TraceContext = true;
        try
        {
            using (var capture = new SpanCapture(new RootOnlySampler()))
            using (var recording = TracerRecording.Start())
            {
                using (Tracer.Begin("sampled.out").Arg("n", 1).Start())
                {
                }

                using (Tracer.Start("sampled.out.bare"))
                {
                }

                Assert.That(capture.Started, Is.Empty);
                Assert.That(recording.Tracers, Is.EqualTo(new[]
                {
                    ">:t:sampled.out:n=1:", "<:t:sampled.out::", ">:t:sampled.out.bare::", "<:t:sampled.out.bare::",
                }));
            }

            using (var recording = TracerRecording.Start())
            {
                using (Tracer.Begin("unheard").Arg("n", 2).Start())
                {
                }

                Assert.That(recording.Tracers, Is.EqualTo(new[] { ">:t:unheard:n=2:", "<:t:unheard::" }), "nothing listens");
            }
        }
        finally
        {
            Tracer.TraceContext = false;
        }
    }

    static bool ActivityListenerProbe()
    {
        using var probe = new ActivitySource("AssemblyToProcess");
        return probe.HasListeners();
    }

    /// <summary>Samples everything and notes the <c>code.function.name</c> each woven span started with.</summary>
    sealed class RecordingSampler : Sampler
    {
        readonly List<string?> seen;

        public RecordingSampler(List<string?> seen) => this.seen = seen;

        public override SamplingResult ShouldSample(in SamplingParameters parameters)
        {
            if (parameters.Name != "test root")
            {
                seen.Add(parameters.Tags?.FirstOrDefault(t => t.Key == "code.function.name").Value as string);
            }

            return new SamplingResult(SamplingDecision.RecordAndSample);
        }
    }
}
