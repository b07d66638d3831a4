using System.Collections.Generic;
using System.Linq;
using System.Threading;
using NUnit.Framework;
using SysdigTracers;
using SysdigTracers.Infrastructure;

namespace Tests.Runtime;

/// <summary>Many threads tracing at once through every API; each tracer arrives whole (see also StraceTests).</summary>
public class ConcurrencyTests
{
    [Test]
    public void Many_threads_emitting_at_once()
    {
        const int Threads = 8;
        const int PerThread = 500;
        var method = new MethodTracer("Concurrent.Method", new[] { "thread", "i", "text" });
        using var capture = TracerRecording.Start();
        using var start = new ManualResetEventSlim();
        var workers = Enumerable.Range(0, Threads).Select(t => new Thread(() =>
        {
            start.Wait();
            for (int i = 0; i < PerThread; i++)
            {
                TracerArgs args = method.BeginEnter(0);
                args.Add(t);
                args.Add(i);
                args.Add(new string((char)('a' + t), i % 50));
                args.Write();
                method.ExitWithReturn(0, null, i);
                using TracerSpan span = Tracer.Begin("concurrent.span", SpanId.New()).Arg("t", t).Start();
                span.Child("child").Arg("i", i).Dispose();
            }
        })).ToList();
        workers.ForEach(w => w.Start());
        start.Set();
        workers.ForEach(w => w.Join());

        IReadOnlyList<ParsedTracer> parsed = capture.Parsed();
        Assert.That(parsed, Has.Count.EqualTo(Threads * PerThread * 6));
        Assert.That(parsed.Select(p => p.Status), Has.All.EqualTo(TracerParseStatus.Complete));
        var enters = parsed.Where(p => p.TagPath == "Concurrent.Method" && p.Direction == TracerDirection.Enter)
            .Select(p => (p.Args[0].Value, p.Args[1].Value, p.Args[2].Value)).ToList();
        var expected = from t in Enumerable.Range(0, Threads)
                       from i in Enumerable.Range(0, PerThread)
                       select (t.ToString(), i.ToString(), new string((char)('a' + t), i % 50));
        Assert.That(enters, Is.EquivalentTo(expected));

        // Every span id pairs one enter with one exit.
        var spans = parsed.Where(p => p.TagPath == "concurrent.span").GroupBy(p => p.Id).ToList();
        Assert.That(spans, Has.Count.EqualTo(Threads * PerThread));
        Assert.That(spans.Select(g => g.Count()), Has.All.EqualTo(2));
    }
}
