using System.Collections.Generic;
using System.Linq;
using System.Text;
using NUnit.Framework;
using SysdigTracers;

namespace Tests.Runtime;

/// <summary>The project's tests read a <see cref="TracerRecording"/> through the reference parser with these.</summary>
public static class RecordingAssertions
{
    /// <summary>Every tracer recorded, parsed as sysdig would.</summary>
    public static IReadOnlyList<ParsedTracer> Parsed(this TracerRecording recording) =>
        recording.TracerBytes.Select(ReferenceTracerParser.Parse).ToArray();

    /// <summary>The single tracer recorded, parsed; fails the test unless exactly one was written and it is complete.</summary>
    public static ParsedTracer Single(this TracerRecording recording)
    {
        IReadOnlyList<byte[]> all = recording.TracerBytes;
        Assert.That(all, Has.Count.EqualTo(1), "tracers written");
        ParsedTracer parsed = ReferenceTracerParser.Parse(all[0]);
        Assert.That(parsed.Status, Is.EqualTo(TracerParseStatus.Complete), () => parsed.Reason + " in " + Encoding.UTF8.GetString(all[0]));
        Assert.That(parsed.Length, Is.EqualTo(all[0].Length), "nothing after the closing ':'");
        Assert.That(parsed.Warnings, Is.Empty);
        return parsed;
    }
}
