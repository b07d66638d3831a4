using System.Collections.Generic;
using System.Linq;
using System.Text;
using NUnit.Framework;

namespace Tests.Runtime;

/// <summary>
/// The real syscall path: TracerProbe runs under strace, and every tracer must be exactly one <c>write(2)</c> to a
/// descriptor opened on /dev/null (O_WRONLY|O_CLOEXEC), with the exact bytes; nothing else is written there.
/// </summary>
[NonParallelizable]
public class StraceTests
{
    /// <summary>What the probe's "basic" scenario writes (see TracerProbe/Program.cs).</summary>
    private static readonly string[] BasicTracers =
    {
        ">:t:Probe.Program.Run::",
        "<:t:Probe.Program.Run::",
        ">:42:Probe.Program.Run:count=7,name=a\\,b\\:c\\=d\\\\e:",
        "<:42:Probe.Program.Run:return=true:",
        "<:42:Probe.Program.Run:exception=System.InvalidOperationException:",
        ">:t:orders.place::",
        ">:t:orders.place.db::",
        "<:t:orders.place.db::",
        "<:t:orders.place:status=ok:",
    };

    [Test]
    public void Each_tracer_is_one_write_of_the_exact_bytes_to_dev_null()
    {
        (ProbeResult result, IReadOnlyList<StraceCall> calls) = ProbeRunner.RunUnderStrace("basic");
        IReadOnlyList<StraceCall> writes = StraceLog.CallsOnDevNull(calls, out IReadOnlyList<StraceCall> opens);

        Assert.That(opens, Has.Count.EqualTo(1), "/dev/null is opened once");
        Assert.That(opens[0].Arguments, Does.Contain("O_WRONLY").And.Contain("O_CLOEXEC"));
        AssertExactWrites(writes, BasicTracers);
        Assert.That(result.StandardOutput, Is.EqualTo("not a tracer\n"));
    }

    [Test]
    public void Concurrent_tracers_each_arrive_whole_in_one_write()
    {
        const int Threads = 8;
        const int PerThread = 250;
        (_, IReadOnlyList<StraceCall> calls) = ProbeRunner.RunUnderStrace("concurrent", Threads.ToString(), PerThread.ToString());
        IReadOnlyList<StraceCall> writes = StraceLog.CallsOnDevNull(calls, out IReadOnlyList<StraceCall> opens);

        Assert.That(opens, Has.Count.EqualTo(1), "one descriptor for all threads");
        var expected = new List<string>();
        for (int t = 0; t < Threads; t++)
        {
            for (int i = 0; i < PerThread; i++)
            {
                expected.Add($">:t:Probe.Concurrent:thread={t},i={i}:");
                expected.Add("<:t:Probe.Concurrent::");
            }
        }

        Assert.That(writes.Select(w => w.Name), Has.All.EqualTo("write"));
        Assert.That(writes.Select(w => w.Truncated), Has.All.False);
        Assert.That(writes.Select(w => Encoding.UTF8.GetString(w.FirstString)), Is.EquivalentTo(expected));
        Assert.That(writes.Select(w => w.Result), Is.EqualTo(writes.Select(w => (long)w.FirstString.Length)));

        // Per thread, the tracers keep their order.
        foreach (IGrouping<int, StraceCall> thread in writes.GroupBy(w => w.Pid))
        {
            string[] texts = thread.Select(w => Encoding.UTF8.GetString(w.FirstString)).ToArray();
            Assert.That(texts.Where((_, i) => i % 2 == 1), Has.All.EqualTo("<:t:Probe.Concurrent::"));
        }
    }

    [Test]
    public void A_descriptor_closed_under_the_runtime_is_reopened()
    {
        (_, IReadOnlyList<StraceCall> calls) = ProbeRunner.RunUnderStrace("closed");
        IReadOnlyList<StraceCall> writes = StraceLog.CallsOnDevNull(calls, out IReadOnlyList<StraceCall> opens);

        Assert.That(opens, Has.Count.EqualTo(2), "opened, closed by the probe, reopened once");
        Assert.That(calls.Any(c => c.Name == "write" && c.ResultText.Contains("EBADF")), Is.True, "the write after the close failed");
        AssertExactWrites(writes, new[] { ">:t:Probe.Closed::", "<:t:Probe.Closed::", ">:t:Probe.Closed::", "<:t:Probe.Closed::" });
    }

    [TestCase("0")]
    [TestCase("off")]
    [TestCase("FALSE")]
    public void SYSDIG_TRACERS_off_writes_nothing(string value)
    {
        (ProbeResult result, IReadOnlyList<StraceCall> calls) = ProbeRunner.RunUnderStrace(
            new Dictionary<string, string?> { ["SYSDIG_TRACERS"] = value, ["SYSDIG_TRACERS_ECHO"] = "stdout" }, "basic");
        Assert.That(StraceLog.CallsOnDevNull(calls, out IReadOnlyList<StraceCall> opens), Is.Empty);
        Assert.That(opens, Is.Empty, "/dev/null is not even opened");
        Assert.That(result.StandardOutput, Is.EqualTo("not a tracer\n"));
    }

    [Test]
    public void SYSDIG_TRACERS_ECHO_stdout_prints_each_tracer_on_its_own_line()
    {
        ProbeResult result = ProbeRunner.RunProbe(new Dictionary<string, string?> { ["SYSDIG_TRACERS_ECHO"] = "stdout" }, "basic");
        Assert.That(result.ExitCode, Is.Zero, result.StandardError);
        Assert.That(result.StandardOutput, Is.EqualTo(string.Join("\n", BasicTracers) + "\nnot a tracer\n"));
    }

    [Test]
    public void SYSDIG_TRACERS_ECHO_stderr_keeps_the_dev_null_writes()
    {
        (ProbeResult result, IReadOnlyList<StraceCall> calls) = RunUnderStraceWithEcho();
        AssertExactWrites(StraceLog.CallsOnDevNull(calls, out _), BasicTracers);
        Assert.That(result.StandardError, Does.Contain(string.Join("\n", BasicTracers) + "\n"));
        Assert.That(calls.Where(c => c.Name == "write" && c.Fd == 2).Select(c => Encoding.UTF8.GetString(c.FirstString)),
            Is.EqualTo(BasicTracers.Select(t => t + "\n")), "one write per echoed line");
    }

    private static (ProbeResult, IReadOnlyList<StraceCall>) RunUnderStraceWithEcho() =>
        ProbeRunner.RunUnderStrace(new Dictionary<string, string?> { ["SYSDIG_TRACERS_ECHO"] = "stderr" }, "basic");

    private static void AssertExactWrites(IReadOnlyList<StraceCall> writes, IReadOnlyList<string> expected)
    {
        Assert.That(writes.Select(w => w.Name), Has.All.EqualTo("write"), "only write(2), never pwrite64/writev");
        Assert.That(writes.Select(w => w.Truncated), Has.All.False);
        Assert.That(writes.Select(w => Encoding.UTF8.GetString(w.FirstString)), Is.EqualTo(expected), "exactly the tracers, one write each");
        Assert.That(writes.Select(w => w.Result), Is.EqualTo(expected.Select(e => (long)Encoding.UTF8.GetByteCount(e))), "each write completed");
        foreach (StraceCall write in writes)
        {
            Assert.That(ReferenceTracerParser.Parse(write.FirstString).Status, Is.EqualTo(TracerParseStatus.Complete));
        }
    }
}
