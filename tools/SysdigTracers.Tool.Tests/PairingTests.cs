using System.Collections.Generic;
using System.IO;
using System.Linq;
using NUnit.Framework;
using SysdigTracers.Tool.Spans;

namespace SysdigTracers.Tool.Tests;

/// <summary>Pairing by sysdig's rules: an exit closes the most recent open enter with the same id and tags.</summary>
public class PairingTests
{
    [Test]
    public void Recursion_with_the_same_tag_closes_the_innermost_span_first()
    {
        var (closed, reading) = Pair(
            "100 1 1 >:t:Fib::",
            "110 1 1 >:t:Fib::",
            "120 1 1 >:t:Fib::",
            "130 1 1 <:t:Fib::",
            "150 1 1 <:t:Fib::",
            "200 1 1 <:t:Fib::");
        Assert.That(closed.Select(s => (s.Start, s.Duration)), Is.EqualTo(new[] { (120L, (long?)10), (110L, 40), (100L, 100) }));
        Assert.That(closed.Select(s => s.Parent?.Start), Is.EqualTo(new long?[] { 110, 100, null }));
        Assert.That(reading.Unended, Is.Empty);
        Assert.That(reading.UnpairedExitCount, Is.Zero);
    }

    [Test]
    public void Recursion_counts_once_in_the_summary_total()
    {
        var summary = new Summary(new string[0], 0);
        SpanReading.Read(Recording("100 1 1 >:t:Fib::", "110 1 1 >:t:Fib::", "150 1 1 <:t:Fib::", "200 1 1 <:t:Fib::"), "test", summary.Add);
        Summary.Row row = summary.Rows.Single();
        Assert.That((row.Durations.Count, row.Total, row.Durations.Max, row.Durations.Min), Is.EqualTo((2L, 100L, 100L, 40L)));
    }

    [Test]
    public void A_numeric_id_pairs_an_enter_and_an_exit_on_different_threads()
    {
        var (closed, reading) = Pair(
            "100 1 11 >:77:Shop.PlaceAsync::",
            "105 1 11 >:78:Shop.PlaceAsync::",
            "150 1 12 <:77:Shop.PlaceAsync:return=1:",
            "190 1 13 <:78:Shop.PlaceAsync::");
        Assert.That(closed.Select(s => (s.Id, s.Enter.Tid, s.Exit!.Tid, s.Duration)), Is.EqualTo(new[] { ("77", 11L, 12L, (long?)50), ("78", 11L, 13L, 85) }));
        Assert.That(reading.Unended, Is.Empty);
    }

    [Test]
    public void A_thread_id_never_pairs_across_threads()
    {
        var (closed, reading) = Pair("100 1 11 >:t:Work::", "150 1 12 <:t:Work::");
        Assert.That(closed, Is.Empty);
        Assert.That(reading.Unended.Single().Enter.Tid, Is.EqualTo(11));
        Assert.That(reading.UnpairedExits.Single().Tid, Is.EqualTo(12));
    }

    [Test]
    public void Interleaved_threads_with_the_same_tag_pair_per_thread()
    {
        var (closed, _) = Pair(
            "100 1 11 >:t:Io.Read::",
            "101 1 12 >:t:Io.Read::",
            "102 1 11 >:t:Io.Parse::",
            "103 1 12 <:t:Io.Read::",
            "104 1 11 <:t:Io.Parse::",
            "105 1 11 <:t:Io.Read::");
        Assert.That(closed.Select(s => (s.Tag, s.Enter.Tid, s.Duration)), Is.EqualTo(new[]
        {
            ("Io.Read", 12L, (long?)2), ("Io.Parse", 11L, 2), ("Io.Read", 11L, 5),
        }));
        Assert.That(closed[1].Parent!.Start, Is.EqualTo(100), "Io.Parse started inside thread 11's Io.Read");
    }

    [Test]
    public void Tags_must_be_identical_not_just_share_a_prefix()
    {
        var (closed, reading) = Pair("100 1 1 >:t:a.b::", "110 1 1 <:t:a::", "120 1 1 <:t:a.b::");
        Assert.That(closed.Single().Tag, Is.EqualTo("a.b"));
        Assert.That(reading.UnpairedExits.Single().Tracer.Tag, Is.EqualTo("a"));
    }

    [Test]
    public void Pairing_is_machine_wide_for_numeric_ids_and_per_process_for_p()
    {
        var (closed, reading) = Pair(
            "100 1 1 >:5:x::", "110 2 2 <:5:x::",
            "120 1 1 >:p:y::", "130 2 2 <:p:y::", "140 1 3 <:p:y::",
            "150 1 1 >::::", "160 3 3 <::::");
        Assert.That(closed.Select(s => (s.Tag, s.Id, s.Duration)), Is.EqualTo(new[] { ("x", "5", (long?)10), ("y", "1", 20), ("", "0", 10) }));
        Assert.That(reading.UnpairedExits.Select(e => e.Line), Is.EqualTo(new[] { 5L }));
    }

    [Test]
    public void Unpaired_enters_and_exits_are_reported_not_dropped()
    {
        var (closed, reading) = Pair(
            "100 1 1 <:t:Early::",
            "110 1 1 >:t:Outer::",
            "120 1 1 >:t:Inner::",
            "130 1 1 <:t:Inner::");
        Assert.That(closed.Single().Tag, Is.EqualTo("Inner"));
        Assert.That(reading.UnpairedExits.Single().Line, Is.EqualTo(2), "line 1 is the header");
        Assert.That(reading.Unended.Single().Tag, Is.EqualTo("Outer"));
        Assert.That(reading.Problems.Count, Is.Zero, "unpaired ends are data, not read errors");
    }

    [Test]
    public void An_exit_that_comes_before_its_enter_in_time_is_reported()
    {
        var (closed, reading) = Pair("100 1 1 >:t:a::", "90 1 1 <:t:a::");
        Assert.That(closed.Single().Duration, Is.Zero);
        Assert.That(reading.Problems.First.Single(), Does.Contain("test:3: an exit earlier than its enter (line 2)"));
    }

    internal static (List<Span> Closed, SpanReading Reading) Pair(params string[] lines)
    {
        var closed = new List<Span>();
        SpanReading reading = SpanReading.Read(Recording(lines), "test", closed.Add);
        return (closed, reading);
    }

    internal static TextReader Recording(params string[] lines) =>
        new StringReader("# sysdig-tracers recording 1\n" + string.Join("\n", lines) + "\n");
}
