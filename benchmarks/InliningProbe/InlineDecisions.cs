using System;
using System.Collections.Concurrent;
using System.Diagnostics.Tracing;

namespace InliningProbe;

/// <summary>
/// The JIT's inlining decisions, from the runtime's own events (keyword JitTracing): whether the loop inlined each
/// measured method and, if not, the JIT's reason. The last decision per method is the one of the loop's final code.
/// </summary>
public sealed class InlineDecisions : EventListener
{
    readonly ConcurrentDictionary<string, string> decisions = new();

    public string Of(string method) => decisions.TryGetValue(method, out var decision) ? decision : "(no event)";

    protected override void OnEventSourceCreated(EventSource source)
    {
        if (source.Name == "Microsoft-Windows-DotNETRuntime")
        {
            EnableEvents(source, EventLevel.Verbose, (EventKeywords)0x1000);
        }
    }

    protected override void OnEventWritten(EventWrittenEventArgs e)
    {
        if (e.EventName is not ("MethodJitInliningSucceeded" or "MethodJitInliningFailed") || e.PayloadNames == null)
        {
            return;
        }

        string Payload(string name)
        {
            var i = e.PayloadNames.IndexOf(name);
            return i < 0 ? "" : e.Payload?[i]?.ToString() ?? "";
        }

        var callee = Payload("InlineeNamespace") + "." + Payload("InlineeName");
        if (Payload("MethodBeingCompiledName") != nameof(Loops.Run) || !callee.StartsWith("InliningProbe.", StringComparison.Ordinal))
        {
            return;
        }

        decisions[callee] = e.EventName == "MethodJitInliningSucceeded" ? "yes" : "no: " + Payload("FailReason");
    }
}
