using System;
using System.Collections.Generic;
using System.Linq;
using System.Text;
using SysdigTracers;

namespace Tests.Runtime;

/// <summary>Collects every tracer written while it is alive (through <see cref="TracerTestHook"/>), on any thread.</summary>
public sealed class TracerCapture : IDisposable
{
    private readonly List<byte[]> _tracers = new();
    private readonly Action<byte[]>? _previous;
    private readonly bool _previousEnabled;

    public TracerCapture()
    {
        _previous = TracerTestHook.TestObserver;
        _previousEnabled = Tracer.Enabled;
        Tracer.Enabled = true;
        TracerTestHook.TestObserver = Add;
    }

    public IReadOnlyList<byte[]> Bytes
    {
        get
        {
            lock (_tracers)
            {
                return _tracers.ToArray();
            }
        }
    }

    public IReadOnlyList<string> Texts => Bytes.Select(b => Encoding.UTF8.GetString(b)).ToArray();

    public IReadOnlyList<ParsedTracer> Parsed => Bytes.Select(ReferenceTracerParser.Parse).ToArray();

    /// <summary>The single tracer captured, parsed; fails the test unless exactly one was written and it is complete.</summary>
    public ParsedTracer Single()
    {
        IReadOnlyList<byte[]> all = Bytes;
        NUnit.Framework.Assert.That(all, NUnit.Framework.Has.Count.EqualTo(1), "tracers written");
        ParsedTracer parsed = ReferenceTracerParser.Parse(all[0]);
        NUnit.Framework.Assert.That(parsed.Status, NUnit.Framework.Is.EqualTo(TracerParseStatus.Complete), () => parsed.Reason + " in " + Encoding.UTF8.GetString(all[0]));
        NUnit.Framework.Assert.That(parsed.Length, NUnit.Framework.Is.EqualTo(all[0].Length), "nothing after the closing ':'");
        NUnit.Framework.Assert.That(parsed.Warnings, NUnit.Framework.Is.Empty);
        return parsed;
    }

    public void Clear()
    {
        lock (_tracers)
        {
            _tracers.Clear();
        }
    }

    public void Dispose()
    {
        TracerTestHook.TestObserver = _previous;
        Tracer.Enabled = _previousEnabled;
    }

    private void Add(byte[] tracer)
    {
        lock (_tracers)
        {
            _tracers.Add(tracer);
        }
    }
}
