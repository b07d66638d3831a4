using System;
using System.IO;
using System.Runtime.InteropServices;
using System.Threading;
using SysdigTracers;
using SysdigTracers.Infrastructure;

// Scenarios the strace tests know the expected tracers of. Keep them in sync with Tests/Runtime/StraceTests.cs.
string scenario = args.Length > 0 ? args[0] : "basic";
switch (scenario)
{
    case "basic":
        Basic();
        break;
    case "concurrent":
        Concurrent(threads: int.Parse(args[1]), perThread: int.Parse(args[2]));
        break;
    case "closed":
        ClosedUnderUs();
        break;
    case "budget":
        Budget(calls: int.Parse(args[1]));
        break;
    default:
        Console.Error.WriteLine("unknown scenario " + scenario);
        return 2;
}

return 0;

static void Basic()
{
    // As woven code does: one check of Tracer.Enabled, then the MethodTracer calls.
    var method = new MethodTracer("Probe.Program.Run", new[] { "count", "name" });
    if (Tracer.Enabled)
    {
        method.Enter();
        method.Exit(null);

        TracerArgs enter = method.BeginEnter(42);
        enter.Add(7);
        enter.Add("a,b:c=d\\e");
        enter.Write();
        method.ExitWithReturn(42, null, true);
        method.Exit(42, new InvalidOperationException());
    }

    using (TracerSpan span = Tracer.Start("orders.place"))
    {
        using (span.Child("db"))
        {
        }

        span.Arg("status", "ok");
    }

    Console.Out.WriteLine("not a tracer");
}

static void Budget(int calls)
{
    // As woven code does, with woven ceilings of 0 (none): only SYSDIG_TRACERS_MAX_SPANS_PER_SECOND and
    // SYSDIG_TRACERS_MAX_ASSEMBLY_SPANS_PER_SECOND can set them.
    var assembly = new TracedAssembly("Probe", null, traceContext: false, maxSpansPerSecond: 0, maxAssemblySpansPerSecond: 0);
    var method = new MethodTracer("Probe.Budget", null, assembly, "Budget", null, null, 0, callToString: false);
    int admitted = 0;
    for (int i = 0; i < calls; i++)
    {
        bool write = Tracer.Enabled;
        method.StartActivity(ref write);
        if (write)
        {
            admitted++;
            method.Enter();
            method.Exit(null);
        }
    }

    Console.Out.WriteLine("admitted=" + admitted + " skipped=" + Tracer.SkippedSpans);
}

static void Concurrent(int threads, int perThread)
{
    var method = new MethodTracer("Probe.Concurrent", new[] { "thread", "i" });
    var workers = new Thread[threads];
    for (int t = 0; t < threads; t++)
    {
        int thread = t;
        workers[t] = new Thread(() =>
        {
            for (int i = 0; i < perThread; i++)
            {
                TracerArgs enter = method.BeginEnter(0);
                enter.Add(thread);
                enter.Add(i);
                enter.Write();
                method.Exit(null);
            }
        });
    }

    foreach (Thread worker in workers)
    {
        worker.Start();
    }

    foreach (Thread worker in workers)
    {
        worker.Join();
    }
}

// Closes the tracer descriptor behind the runtime's back: the next write gets EBADF and must reopen /dev/null.
static void ClosedUnderUs()
{
    var method = new MethodTracer("Probe.Closed");
    method.Enter();
    foreach (string link in Directory.GetFiles("/proc/self/fd"))
    {
        int fd = int.Parse(Path.GetFileName(link));
        if (fd > 2 && new FileInfo(link).LinkTarget == "/dev/null")
        {
            Native.Close(fd);
        }
    }

    method.Exit(null);
    method.Enter();
    method.Exit(null);
}

internal static class Native
{
    [DllImport("libc", EntryPoint = "close")]
    internal static extern int Close(int fd);
}
