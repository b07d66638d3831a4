using System;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Reflection;
using System.Runtime.InteropServices;
using System.Threading;

// Usage: ScaleHost <woven.dll> <mode> <threads> <seconds> [path]
//   modes: load, fork, ebadf, path (the runtime opens [path] instead of /dev/null), listen (load with an
//   ActivityListener that records every Activity and counts those started)
// Prints one line "STATS key=value ..." and exits 0; any exception that reaches a worker is a failure (exit 1).
var woven = Assembly.LoadFrom(args[0]);
var mode = args[1];
var threads = int.Parse(args[2], CultureInfo.InvariantCulture);
var seconds = double.Parse(args[3], CultureInfo.InvariantCulture);

var devNull = typeof(SysdigTracers.Tracer).Assembly.GetType("SysdigTracers.Internal.DevNull", throwOnError: true)!;
if (mode == "path")
{
    devNull.GetMethod("UsePathForTests", BindingFlags.Static | BindingFlags.NonPublic)!.Invoke(null, new object[] { args[4] });
}

long activities = 0;
using var listener = new ActivityListener
{
    ShouldListenTo = _ => mode == "listen",
    Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
    ActivityStarted = _ => Interlocked.Increment(ref activities),
};
ActivitySource.AddActivityListener(listener);

var work = woven.GetType("Load.Work", throwOnError: true)!;
var run = (Func<int, string, int>)Delegate.CreateDelegate(typeof(Func<int, string, int>), work.GetMethod("Run")!);

long calls = 0;
long failures = 0;
string? firstFailure = null;
var stop = 0;
var warm = new ManualResetEventSlim();
var workers = new Thread[threads];
for (var t = 0; t < threads; t++)
{
    var id = t;
    workers[t] = new Thread(() =>
    {
        var name = "worker," + id.ToString(CultureInfo.InvariantCulture) + ":=\n";
        var local = 0L;
        for (var i = 0; Volatile.Read(ref stop) == 0; i++)
        {
            try
            {
                if (run(i, name) < 0)
                {
                    throw new InvalidOperationException("wrong result");
                }
            }
            catch (Exception e)
            {
                Interlocked.Increment(ref failures);
                Interlocked.CompareExchange(ref firstFailure, e.ToString(), null);
            }

            local++;
        }

        Interlocked.Add(ref calls, local);
    });
}

foreach (var worker in workers)
{
    worker.Start();
}

// Fault injectors run alongside the workers for the whole run.
var injected = 0L;
var injector = new Thread(() =>
{
    while (Volatile.Read(ref stop) == 0)
    {
        switch (mode)
        {
            case "fork":
                using (var child = Process.Start(new ProcessStartInfo("/bin/true") { UseShellExecute = false }))
                {
                    child!.WaitForExit();
                }

                injected++;
                break;
            case "ebadf":
                var fd = (int)devNull.GetProperty("DescriptorForTests", BindingFlags.Static | BindingFlags.NonPublic)!.GetValue(null)!;
                if (fd >= 0)
                {
                    Native.Close(fd);
                    injected++;
                }

                Thread.Sleep(5);
                break;
            default:
                Thread.Sleep(50);
                break;
        }
    }
});
injector.Start();

// Memory: measured between the end of a warm-up and the end of the run, after full collections.
Thread.Sleep(TimeSpan.FromSeconds(Math.Min(1, seconds / 4)));
var callsBefore = Interlocked.Read(ref calls);
GC.Collect();
GC.WaitForPendingFinalizers();
GC.Collect();
var heapBefore = GC.GetTotalMemory(forceFullCollection: true);
var allocatedBefore = GC.GetTotalAllocatedBytes(precise: true);
var clock = Stopwatch.StartNew();
Thread.Sleep(TimeSpan.FromSeconds(seconds));
Volatile.Write(ref stop, 1);
foreach (var worker in workers)
{
    worker.Join();
}

injector.Join();
var elapsed = clock.Elapsed;
var allocatedAfter = GC.GetTotalAllocatedBytes(precise: true);
var heapAfter = GC.GetTotalMemory(forceFullCollection: true);
var measuredCalls = Interlocked.Read(ref calls) - callsBefore;

Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
    $"STATS calls={Interlocked.Read(ref calls)} measuredCalls={measuredCalls} seconds={elapsed.TotalSeconds:F2} failures={failures} injected={injected} " +
    $"allocatedBytes={allocatedAfter - allocatedBefore} bytesPerCall={(double)(allocatedAfter - allocatedBefore) / Math.Max(1, measuredCalls):F3} " +
    $"heapBefore={heapBefore} heapAfter={heapAfter} skipped={SysdigTracers.Tracer.SkippedSpans} activities={Interlocked.Read(ref activities)}"));
if (firstFailure != null)
{
    Console.Error.WriteLine(firstFailure);
    return 1;
}

return 0;

internal static class Native
{
    [DllImport("libc", EntryPoint = "close")]
    internal static extern int Close(int fd);
}
