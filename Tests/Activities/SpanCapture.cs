using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Linq;
using OpenTelemetry;
using OpenTelemetry.Trace;

namespace Tests.Activities;

/// <summary>
/// The OpenTelemetry SDK listening to every source, exporting to its in-memory exporter, as an application would
/// configure it. Each capture starts a root Activity of its own and keeps only the spans of that trace, so that
/// Activities of code running elsewhere in the test process are left out. Dispose it to stop listening.
/// </summary>
public sealed class SpanCapture : IDisposable
{
    public const string TestSourceName = "Tests.Activities";

    static readonly ActivitySource TestSource = new(TestSourceName);

    readonly TracerProvider provider;
    readonly List<Activity> exported = new();
    readonly StartOrder started = new();

    public SpanCapture(Sampler? sampler = null)
    {
        provider = Sdk.CreateTracerProviderBuilder()
            .AddSource("*")
            .SetSampler(sampler ?? new AlwaysOnSampler())
            .AddProcessor(started)
            .AddInMemoryExporter(exported)
            .Build()!;
        Root = TestSource.StartActivity("test root")!;
    }

    /// <summary>The hand-written Activity every traced call of the test runs under.</summary>
    public Activity Root { get; }

    /// <summary>The ended spans of this test's trace (its root left out), in the order they started.</summary>
    public List<Activity> Spans
    {
        get
        {
            lock (exported)
            {
                var ended = exported.Where(a => a.TraceId == Root.TraceId && a != Root).ToHashSet();
                return started.Order.Where(ended.Contains).ToList();
            }
        }
    }

    /// <summary>Every span of this trace (its root left out) that started, ended or not, in start order.</summary>
    public List<Activity> Started => started.Order.Where(a => a.TraceId == Root.TraceId && a != Root).ToList();

    /// <summary>Whether <paramref name="span"/> was exported (ended).</summary>
    public bool Ended(Activity span)
    {
        lock (exported)
        {
            return exported.Contains(span);
        }
    }

    /// <summary>The spans that started in this trace and have not ended.</summary>
    public List<Activity> Open
    {
        get
        {
            lock (exported)
            {
                return started.Order.Where(a => a.TraceId == Root.TraceId && a != Root && !exported.Contains(a)).ToList();
            }
        }
    }

    public void Clear()
    {
        lock (exported)
        {
            exported.Clear();
            started.Clear();
        }
    }

    public void Dispose()
    {
        Root.Stop();
        provider.Dispose();
    }

    /// <summary>Records the order in which spans start (the exporter sees them when they end).</summary>
    sealed class StartOrder : BaseProcessor<Activity>
    {
        readonly List<Activity> order = new();

        public List<Activity> Order
        {
            get
            {
                lock (order)
                {
                    return order.ToList();
                }
            }
        }

        public void Clear()
        {
            lock (order)
            {
                order.Clear();
            }
        }

        public override void OnStart(Activity data)
        {
            lock (order)
            {
                order.Add(data);
            }
        }
    }
}
