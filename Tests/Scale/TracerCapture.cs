using System;
using System.Collections.Generic;
using System.Reflection;
using System.Text;

namespace Tests.Scale;

/// <summary>
/// Captures the tracers written on the current thread while an action runs, through the runtime's test observer.
/// The previous observer is restored afterwards; other threads' tracers are ignored.
/// </summary>
public static class TracerCapture
{
    [ThreadStatic]
    static List<byte[]>? target;

    static readonly object Gate = new();

    /// <summary>Runs <paramref name="action"/>; appends every tracer it wrote on this thread to <paramref name="tracers"/>.</summary>
    public static T Capture<T>(Func<T> action, List<string> tracers)
    {
        var bytes = new List<byte[]>();
        var result = CaptureBytes(action, bytes);
        foreach (var b in bytes)
        {
            tracers.Add(Encoding.UTF8.GetString(b));
        }

        return result;
    }

    /// <summary>Runs <paramref name="action"/>; appends the exact bytes of every tracer it wrote on this thread.</summary>
    public static T CaptureBytes<T>(Func<T> action, List<byte[]> tracers)
    {
        lock (Gate)
        {
            var field = HookField();
            var previous = (Action<byte[]>?)field.GetValue(null);
            var mine = new List<byte[]>();
            target = null;
            field.SetValue(null, new Action<byte[]>(b =>
            {
                if (target != null)
                {
                    target.Add(b);
                }
                else
                {
                    previous?.Invoke(b);
                }
            }));
            try
            {
                target = mine;
                return action();
            }
            finally
            {
                target = null;
                field.SetValue(null, previous);
                tracers.AddRange(mine);
            }
        }
    }

    static FieldInfo HookField()
    {
        var hook = typeof(SysdigTracers.Tracer).Assembly.GetType("SysdigTracers.TracerTestHook", throwOnError: true)!;
        return hook.GetField("TestObserver", BindingFlags.Static | BindingFlags.NonPublic | BindingFlags.Public)
               ?? throw new InvalidOperationException("TracerTestHook.TestObserver is not a field");
    }
}
