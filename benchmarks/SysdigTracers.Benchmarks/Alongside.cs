using System;
using System.Threading;

namespace SysdigTracers.Benchmarks;

/// <summary>
/// A second thread that makes the same call as the measured one, over and over, from its start until it is disposed:
/// for the rows that measure a call while another thread makes it at once (on this 2-core machine the two run together
/// only when nothing else takes a core).
/// </summary>
public sealed class Alongside : IDisposable
{
    private readonly Thread _thread;
    private volatile bool _stop;

    private Alongside(Action call)
    {
        using var running = new ManualResetEventSlim();
        _thread = new Thread(() =>
        {
            running.Set();
            while (!_stop)
            {
                call();
            }
        })
        {
            IsBackground = true,
        };
        _thread.Start();
        running.Wait();
    }

    /// <summary>Starts the second thread and returns once it runs.</summary>
    public static Alongside Start(Action call) => new(call);

    /// <summary>Stops the second thread and waits for it.</summary>
    public void Dispose()
    {
        _stop = true;
        _thread.Join();
    }
}
