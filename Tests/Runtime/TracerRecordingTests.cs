using System;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using NUnit.Framework;
using SysdigTracers;

namespace Tests.Runtime;

/// <summary>The public test helper: what a recording sees, and how recordings scope.</summary>
public class TracerRecordingTests
{
    [Test]
    public void Records_what_the_code_inside_it_writes_in_order()
    {
        using var recording = TracerRecording.Start();
        using (Tracer.Begin("orders.place").Arg("sku", "book").Start())
        {
        }

        Assert.That(recording.Tracers, Is.EqualTo(new[] { ">:t:orders.place:sku=book:", "<:t:orders.place::" }));
        Assert.That(recording.TracerBytes.Select(b => System.Text.Encoding.UTF8.GetString(b)), Is.EqualTo(recording.Tracers));
    }

    [Test]
    public void Sees_nothing_after_it_is_disposed_and_keeps_what_it_saw()
    {
        var recording = TracerRecording.Start();
        Tracer.Start("before").Dispose();
        recording.Dispose();
        recording.Dispose();
        Tracer.Start("after").Dispose();

        Assert.That(recording.Tracers, Is.EqualTo(new[] { ">:t:before::", "<:t:before::" }));
    }

    [Test]
    public void Clear_forgets_what_was_recorded_and_goes_on()
    {
        using var recording = TracerRecording.Start();
        Tracer.Start("a").Dispose();
        recording.Clear();
        Tracer.Start("b").Dispose();

        Assert.That(recording.Tracers, Is.EqualTo(new[] { ">:t:b::", "<:t:b::" }));
    }

    [Test]
    public void Nested_recordings_both_see_what_is_written_inside_the_inner_one()
    {
        using var outer = TracerRecording.Start();
        Tracer.Start("first").Dispose();
        using (var inner = TracerRecording.Start())
        {
            Tracer.Start("second").Dispose();
            Assert.That(inner.Tracers, Is.EqualTo(new[] { ">:t:second::", "<:t:second::" }));
        }

        Tracer.Start("third").Dispose();

        Assert.That(
            outer.Tracers,
            Is.EqualTo(new[] { ">:t:first::", "<:t:first::", ">:t:second::", "<:t:second::", ">:t:third::", "<:t:third::" }));
    }

    [Test]
    public async Task Follows_awaits_tasks_and_threads_started_inside_it()
    {
        using var recording = TracerRecording.Start();
        await Task.Run(() => Tracer.Start("task").Dispose());
        await Task.Yield();
        Tracer.Start("after.await").Dispose();
        var thread = new Thread(() => Tracer.Start("thread").Dispose());
        thread.Start();
        thread.Join();

        Assert.That(
            recording.Tracers,
            Is.EqualTo(new[] { ">:t:task::", "<:t:task::", ">:t:after.await::", "<:t:after.await::", ">:t:thread::", "<:t:thread::" }));
    }

    [Test]
    public void Parallel_work_sees_only_its_own_tracers()
    {
        const int Workers = 8;
        var seen = new string[Workers][];
        using var start = new Barrier(Workers);
        var threads = Enumerable.Range(0, Workers).Select(i => new Thread(() =>
        {
            using var recording = TracerRecording.Start();
            start.SignalAndWait();
            for (var n = 0; n < 200; n++)
            {
                Tracer.Start("worker" + i).Dispose();
            }

            seen[i] = recording.Tracers.Distinct().ToArray();
        })).ToArray();
        foreach (var thread in threads)
        {
            thread.Start();
        }

        foreach (var thread in threads)
        {
            thread.Join();
        }

        for (var i = 0; i < Workers; i++)
        {
            Assert.That(seen[i], Is.EqualTo(new[] { $">:t:worker{i}::", $"<:t:worker{i}::" }), $"worker {i}");
        }
    }

    [Test]
    public void Work_that_does_not_flow_the_execution_context_is_not_recorded()
    {
        using var recording = TracerRecording.Start();
        var outside = new Thread(() => Tracer.Start("outside").Dispose());
        using (ExecutionContext.SuppressFlow())
        {
            outside.Start();
        }

        outside.Join();

        Assert.That(recording.Tracers, Is.Empty);
    }

    [Test]
    public void Records_nothing_while_tracing_is_off()
    {
        using var recording = TracerRecording.Start();
        Tracer.Enabled = false;
        Tracer.Start("off").Dispose();

        Assert.That(recording.Tracers, Is.Empty);
    }
}
