using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text;
using NUnit.Framework;
using Tests.Runtime;

namespace Tests.Scale;

/// <summary>
/// Issue 6, second part: a woven assembly called from many threads for a sustained period, in a child process under
/// strace, with faults injected: forks and execs, the tracer descriptor closed under the runtime, a device path that
/// is missing or not a character device. The host never sees an exception, and nothing but whole, valid tracers
/// ever reaches a /dev/null descriptor.
/// </summary>
[TestFixture]
[NonParallelizable]
public sealed class LoadAndFaultTests
{
    const int Threads = 64;
    static readonly Dictionary<string, string> Rows = new();

    [Test]
    public void Many_threads_write_whole_paired_tracers()
    {
        var run = ScaleHostRunner.Run("load", Threads, ScaleSettings.LoadSeconds, strace: true);
        var check = CheckDevNullWrites(run, requirePairs: true);
        Record("load, under strace", run, check);
        Assert.That(check.ThreadsWithTracers, Is.GreaterThanOrEqualTo(Threads));
    }

    [Test]
    public void An_assembly_ceiling_from_the_environment_bounds_the_spans_and_keeps_them_paired()
    {
        // The load target is woven with MaxAssemblySpansPerSecond='0'; the variable replaces it. Each Run asks for 7
        // spans, and 1 more every 10,000 calls of a thread (Fail); a listener makes every call ask, whatever it writes.
        const int ceiling = 300;
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var run = ScaleHostRunner.Run("listen", Threads, ScaleSettings.LoadSeconds, strace: true,
            environment: new Dictionary<string, string> { ["SYSDIG_TRACERS_MAX_ASSEMBLY_SPANS_PER_SECOND"] = ceiling.ToString(CultureInfo.InvariantCulture) });
        var seconds = clock.Elapsed.TotalSeconds;
        var check = CheckDevNullWrites(run, requirePairs: true);
        Record("load with SYSDIG_TRACERS_MAX_ASSEMBLY_SPANS_PER_SECOND=300 and a listener, under strace", run, check);
        var calls = run.Stats["calls"];
        var skipped = run.Stats["skipped"];
        Assert.Multiple(() =>
        {
            // At most the ceiling per second of the refill timer: the process lived less than the test waited.
            Assert.That(check.Enters, Is.InRange(ceiling, ceiling * (Math.Ceiling(seconds) + 1)), $"{seconds:F1} s");
            Assert.That(skipped, Is.GreaterThan(0));
            Assert.That(check.Enters + skipped, Is.InRange(7 * calls, 7 * calls + calls / 10_000), "each span asked for written or counted");
            Assert.That(run.Stats["activities"], Is.EqualTo(check.Enters), "an Activity for each written span, none for a skipped one");
        });
    }

    [Test]
    public void Memory_stays_flat_under_load()
    {
        var run = ScaleHostRunner.Run("load", Threads, ScaleSettings.LoadSeconds * 2, strace: false);
        AssertHostClean(run);
        Record("load, memory (no strace)", run, null);
        Assert.Multiple(() =>
        {
            Assert.That(run.Stats["measuredCalls"], Is.GreaterThan(10_000));
            // One planned exception every 10,000 calls allocates; the tracers themselves must not.
            Assert.That(run.Stats["bytesPerCall"], Is.LessThan(2.0), "allocated bytes per traced call (7 methods, 14 tracers)");
            Assert.That(run.Stats["heapAfter"] - run.Stats["heapBefore"], Is.LessThan(4 * 1024 * 1024), "heap growth after full GC");
        });
    }

    [Test]
    public void Forks_and_execs_while_tracing()
    {
        var run = ScaleHostRunner.Run("fork", Threads, ScaleSettings.LoadSeconds, strace: true);
        var check = CheckDevNullWrites(run, requirePairs: true);
        Record("fork/exec of /bin/true in a loop, under strace", run, check);
        Assert.That(run.Stats["injected"], Is.GreaterThan(0), "children started");
    }

    [Test]
    public void Descriptor_closed_under_the_tracer()
    {
        var run = ScaleHostRunner.Run("ebadf", Threads, ScaleSettings.LoadSeconds, strace: true);
        var check = CheckDevNullWrites(run, requirePairs: false);
        Record("tracer descriptor closed every 5 ms (EBADF), under strace", run, check);
        Assert.Multiple(() =>
        {
            Assert.That(run.Stats["injected"], Is.GreaterThan(0), "descriptors closed");
            Assert.That(check.Tracers, Is.GreaterThan(0), "tracing recovered after each close");
            Assert.That(run.Writes.Count(w => w.BadDescriptor), Is.GreaterThan(0), "writes that met EBADF");
        });
    }

    [Test]
    public void Missing_device_is_a_no_op()
    {
        var run = ScaleHostRunner.Run("path", 8, 1, strace: true, path: "/nonexistent/sysdig-scale/null");
        var check = CheckDevNullWrites(run, requirePairs: true);
        Record("device path missing, under strace", run, check);
        Assert.That(run.Writes.Where(LooksLikeTracer), Is.Empty, "no tracer written anywhere");
    }

    [TestCase("regular file")]
    [TestCase("directory")]
    [TestCase("fifo")]
    public void Device_that_is_not_a_character_device_is_never_written(string kind)
    {
        var path = Path.Combine(Path.GetTempPath(), "sysdig-scale-" + Guid.NewGuid().ToString("N"));
        switch (kind)
        {
            case "regular file":
                File.WriteAllBytes(path, Array.Empty<byte>());
                break;
            case "directory":
                Directory.CreateDirectory(path);
                break;
            default:
                Assert.That(MkFifo(path, Convert.ToInt32("600", 8)), Is.Zero, "mkfifo");
                break;
        }

        try
        {
            var run = ScaleHostRunner.Run("path", 8, 1, strace: true, path: path);
            var check = CheckDevNullWrites(run, requirePairs: true);
            Record($"device path is a {kind}, under strace", run, check);
            Assert.That(run.Writes.Where(LooksLikeTracer), Is.Empty, "no tracer written anywhere");
            if (kind == "regular file")
            {
                Assert.That(new FileInfo(path).Length, Is.Zero, "the regular file stays empty");
            }
        }
        finally
        {
            if (Directory.Exists(path))
            {
                Directory.Delete(path);
            }
            else
            {
                File.Delete(path);
            }
        }
    }

    [System.Runtime.InteropServices.DllImport("libc", EntryPoint = "mkfifo")]
    static extern int MkFifo(string path, int mode);

    sealed record WriteCheck(int Tracers, int Enters, int ThreadsWithTracers, int MaxTracerBytes);

    static void AssertHostClean(HostRun run) =>
        Assert.That(run.ExitCode, Is.Zero, () => "the host saw an exception or failed:\n" + run.Error + run.Output);

    static bool LooksLikeTracer(TracedWrite write) =>
        write.Data.Length > 3 && (write.Data[0] == '>' || write.Data[0] == '<') && write.Data[1] == ':';

    /// <summary>
    /// Every write to a /dev/null descriptor is one whole valid tracer (written completely, parsed complete by the
    /// reference parser, at most 4096 bytes); with <paramref name="requirePairs"/>, on every thread each exit closes
    /// the innermost open enter with the same tags and nothing stays open.
    /// </summary>
    static WriteCheck CheckDevNullWrites(HostRun run, bool requirePairs)
    {
        AssertHostClean(run);
        var problems = new List<string>();
        var stacks = new Dictionary<int, Stack<string>>();
        var tracers = 0;
        var enters = 0;
        var max = 0;
        foreach (var write in run.Writes.Where(w => w.Path == "/dev/null"))
        {
            if (write.BadDescriptor)
            {
                continue; // EBADF: nothing was written
            }

            var parsed = ReferenceTracerParser.Parse(write.Data);
            if (parsed.Status != TracerParseStatus.Complete || parsed.Length != write.Data.Length || write.Result != write.Count || write.Count != write.Data.Length || write.Count > 4096)
            {
                problems.Add($"thread {write.Thread}: {parsed.Status} {parsed.Reason} result={write.Result} count={write.Count}: {Encoding.UTF8.GetString(write.Data)}");
                continue;
            }

            tracers++;
            max = Math.Max(max, write.Count);
            if (!stacks.TryGetValue(write.Thread, out var stack))
            {
                stacks[write.Thread] = stack = new Stack<string>();
            }

            if (parsed.Direction == TracerDirection.Enter)
            {
                enters++;
                stack.Push(parsed.TagPath);
            }
            else if (requirePairs && (stack.Count == 0 || stack.Pop() != parsed.TagPath))
            {
                problems.Add($"thread {write.Thread}: exit {parsed.TagPath} does not close the innermost enter");
            }
        }

        if (requirePairs)
        {
            problems.AddRange(stacks.Where(s => s.Value.Count > 0).Select(s => $"thread {s.Key}: {s.Value.Count} enter(s) never exited: {string.Join(", ", s.Value.Take(3))}"));
        }

        Assert.That(problems, Is.Empty, $"{problems.Count} problem(s), first:\n" + string.Join("\n", problems.Take(10)));
        return new WriteCheck(tracers, enters, stacks.Count, max);
    }

    static void Record(string scenario, HostRun run, WriteCheck? check)
    {
        var s = run.Stats;
        var row = string.Create(CultureInfo.InvariantCulture,
            $"| {scenario} | {(scenario.Contains("device path", StringComparison.Ordinal) ? 8 : Threads)} | {s.GetValueOrDefault("seconds"):F1} s | {s.GetValueOrDefault("calls"):F0} | " +
            $"{(check == null ? "-" : check.Tracers.ToString(CultureInfo.InvariantCulture))} | {(check == null ? "-" : check.ThreadsWithTracers.ToString(CultureInfo.InvariantCulture))} | " +
            $"{(check == null ? "-" : check.MaxTracerBytes.ToString(CultureInfo.InvariantCulture))} | {run.Writes.Count(w => w.BadDescriptor)} | {s.GetValueOrDefault("injected"):F0} | " +
            $"{s.GetValueOrDefault("bytesPerCall"):F3} | {(s.GetValueOrDefault("heapAfter") - s.GetValueOrDefault("heapBefore")) / 1024:F0} KiB | {s.GetValueOrDefault("failures"):F0} |");
        lock (Rows)
        {
            Rows[scenario] = row;
            var text = new StringBuilder("## Load and faults (child process `Tests.EndToEnd/ScaleHost`, woven target, every method traced)\n\n");
            text.Append("Each traced call of `Load.Work.Run` enters 7 woven methods (14 tracers, a string argument full of separators). ")
                .Append("Under strace (`strace -f -xx -y -e trace=write`), every write to a descriptor strace resolves to /dev/null ")
                .Append("is parsed with the reference parser: one whole, complete tracer per write, at most 4096 bytes; where pairing is ")
                .Append("checked, each exit closes the innermost enter of its thread with the same tags and nothing stays open. ")
                .Append("The host counts every exception its threads see (must be 0). Memory: allocated bytes per call and heap ")
                .Append("growth after full GCs, between the end of a warm-up and the end of the run.\n\n");
            text.Append("| scenario | threads | duration | calls | /dev/null tracers checked | threads seen | largest tracer | EBADF writes | faults injected | bytes/call | heap growth | host exceptions |\n");
            text.Append("|---|---|---|---|---|---|---|---|---|---|---|---|\n");
            foreach (var r in Rows.OrderBy(r => r.Key, StringComparer.Ordinal))
            {
                text.Append(r.Value).Append('\n');
            }

            ScaleReport.Add("40 load", text.ToString());
        }
    }
}
