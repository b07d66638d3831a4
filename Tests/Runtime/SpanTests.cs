using System;
using System.Linq;
using System.Threading.Tasks;
using NUnit.Framework;
using SysdigTracers;

namespace Tests.Runtime;

/// <summary>The manual span API of <see cref="Tracer"/>.</summary>
public class SpanTests
{
    [Test]
    public void Using_a_span_writes_enter_then_exit()
    {
        using var capture = TracerRecording.Start();
        using (Tracer.Start("orders.place"))
        {
            Assert.That(capture.Tracers, Is.EqualTo(new[] { ">:t:orders.place::" }));
        }

        Assert.That(capture.Tracers, Is.EqualTo(new[] { ">:t:orders.place::", "<:t:orders.place::" }));
    }

    [Test]
    public void Enter_arguments_exit_arguments_and_children()
    {
        using var capture = TracerRecording.Start();
        using (TracerSpan span = Tracer.Begin("orders.place").Arg("customer", "c-1").Arg("items", 3).Arg("rush", true).Start())
        {
            using (TracerSpan db = span.Child("db"))
            {
                db.Arg("rows", 2L);
            }

            using (span.BeginChild("cache.get").Arg("key", "k=1").Start())
            {
            }

            span.Arg("status", "ok").Arg("total", 12.5m);
        }

        Assert.That(capture.Tracers, Is.EqualTo(new[]
        {
            ">:t:orders.place:customer=c-1,items=3,rush=true:",
            ">:t:orders.place.db::",
            "<:t:orders.place.db:rows=2:",
            ">:t:orders.place.cache.get:key=k\\=1:",
            "<:t:orders.place.cache.get::",
            "<:t:orders.place:status=ok,total=12.5:",
        }));
    }

    [Test]
    public void Children_share_the_parent_id()
    {
        using var capture = TracerRecording.Start();
        SpanId id = SpanId.New();
        using (TracerSpan span = Tracer.Start("a", id))
        {
            Assert.That(span.Id, Is.EqualTo(id));
            using TracerSpan child = span.Child("b");
            Assert.That(child.Id, Is.EqualTo(id));
        }

        Assert.That(capture.Parsed().Select(p => p.Id), Has.All.EqualTo(id.Number));
        Assert.That(capture.Parsed().Select(p => p.TagPath), Is.EqualTo(new[] { "a", "a.b", "a.b", "a" }));
    }

    [Test]
    public void Child_tags_starting_with_0_are_kept()
    {
        using var capture = TracerRecording.Start();
        using (TracerSpan span = Tracer.Start("0root"))
        {
            span.Child("0child").Dispose();
        }

        Assert.That(capture.Tracers[1], Is.EqualTo(">:t:_0root.0child::"));
    }

    [Test]
    public void Disposing_twice_writes_once_even_through_copies()
    {
        using var capture = TracerRecording.Start();
        TracerSpan span = Tracer.Start("a");
        TracerSpan copy = span;
        span.Dispose();
        span.Dispose();
        copy.Dispose();
        copy.Arg("late", 1);
        Assert.That(span.IsActive, Is.False);
        Assert.That(copy.Child("c").IsActive, Is.False);

        // The pooled state is reused by the next span; stale copies must not touch it.
        using (TracerSpan next = Tracer.Start("b"))
        {
            span.Dispose();
            copy.Arg("stale", 1);
        }

        Assert.That(capture.Tracers, Is.EqualTo(new[] { ">:t:a::", "<:t:a::", ">:t:b::", "<:t:b::" }));
    }

    [Test]
    public void A_builder_starts_once()
    {
        using var capture = TracerRecording.Start();
        TracerSpanBuilder builder = Tracer.Begin("a");
        TracerSpan first = builder.Start();
        TracerSpan second = builder.Start();
        Assert.That(first.IsActive, Is.True);
        Assert.That(second.IsActive, Is.False);
        first.Dispose();
        Assert.That(capture.Tracers, Is.EqualTo(new[] { ">:t:a::", "<:t:a::" }));
    }

    [Test]
    public void Disabled_tracing_makes_everything_a_no_op()
    {
        using var capture = TracerRecording.Start();
        Tracer.Enabled = false;
        using (TracerSpan span = Tracer.Begin("a").Arg("x", 1).Start())
        {
            Assert.That(span.IsActive, Is.False);
            span.Arg("y", 2).Child("b").Dispose();
        }

        default(TracerSpan).Dispose();
        default(TracerSpanBuilder).Arg("x", 1).Start().Dispose();
        Assert.That(capture.Tracers, Is.Empty);
    }

    [Test]
    public void A_span_started_while_enabled_still_ends_after_disabling()
    {
        using var capture = TracerRecording.Start();
        TracerSpan span = Tracer.Start("a");
        Tracer.Enabled = false;
        span.Dispose();
        Assert.That(capture.Tracers, Is.EqualTo(new[] { ">:t:a::", "<:t:a::" }));
    }

    [Test]
    public async Task A_span_with_a_fresh_id_can_end_on_another_thread()
    {
        using var capture = TracerRecording.Start();
        using (Tracer.Start("async.work", SpanId.New()))
        {
            await Task.Yield();
            await Task.Delay(1).ConfigureAwait(false);
        }

        ParsedTracer[] parsed = capture.Parsed().ToArray();
        Assert.That(parsed, Has.Length.EqualTo(2));
        Assert.That(parsed[1].Id, Is.EqualTo(parsed[0].Id).And.GreaterThan(0));
    }

    [Test]
    public void Deeply_nested_spans_beyond_the_pool_size()
    {
        using var capture = TracerRecording.Start();
        Nest(Tracer.Start("n"), 20);
        Assert.That(capture.Parsed(), Has.Count.EqualTo(42));
        Assert.That(capture.Parsed().Select(p => p.Status), Has.All.EqualTo(TracerParseStatus.Complete));
        Assert.That(capture.Parsed()[20].Tags, Has.Count.EqualTo(21));

        static void Nest(TracerSpan span, int depth)
        {
            using (span)
            {
                if (depth > 0)
                {
                    Nest(span.Child("n"), depth - 1);
                }
            }
        }
    }

    [Test]
    public void Span_ids()
    {
        Assert.That(default(SpanId), Is.EqualTo(SpanId.Thread));
        Assert.That(SpanId.Thread.ToString(), Is.EqualTo("t"));
        Assert.That(SpanId.Process.ToString(), Is.EqualTo("p"));
        Assert.That(SpanId.Process.IsProcess && SpanId.Thread.IsThread, Is.True);
        Assert.That(SpanId.FromNumber(12).ToString(), Is.EqualTo("12"));
        Assert.That(SpanId.FromNumber(12), Is.EqualTo(SpanId.FromNumber(12)));
        Assert.That(SpanId.FromNumber(12) != SpanId.FromNumber(13), Is.True);
        Assert.Throws<ArgumentOutOfRangeException>(() => SpanId.FromNumber(0));
        Assert.Throws<ArgumentOutOfRangeException>(() => SpanId.FromNumber(-1));
    }

    [Test]
    public void New_span_ids_are_positive_and_unique_across_threads()
    {
        var ids = new System.Collections.Concurrent.ConcurrentBag<long>();
        Parallel.For(0, 8, _ =>
        {
            for (int i = 0; i < 10_000; i++)
            {
                ids.Add(Tracer.NewSpanId());
            }
        });

        Assert.That(ids, Has.All.GreaterThan(0));
        Assert.That(ids.Distinct().Count(), Is.EqualTo(ids.Count));
        Assert.That(SpanId.New().Number, Is.GreaterThan(0));
    }
}
