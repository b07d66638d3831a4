using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Runtime.CompilerServices;

namespace SysdigTracers.Internal;

/// <summary>
/// How spans are recorded on <see cref="Activity"/> objects, for woven methods and manual spans alike: the ending
/// with the exception's status and event, typed tags, and the <see cref="Activity.Current"/> bookkeeping. Nothing here
/// throws into the caller.
/// </summary>
internal static class ActivityRecorder
{
    internal const string FunctionName = "code.function.name";
    internal const string FilePath = "code.file.path";
    internal const string LineNumber = "code.line.number";
    internal const string ReturnKey = "return";
    internal const string TraceIdArgument = "trace_id";
    internal const string SpanIdArgument = "span_id";

    /// <summary>The source of manual spans (<see cref="Tracer.Start(string)"/>), named <see cref="Tracer.ActivitySourceName"/>.</summary>
    internal static readonly ActivitySource ManualSource = new(Tracer.ActivitySourceName, typeof(Tracer).Assembly.GetName().Version?.ToString());

    /// <summary>
    /// The <c>code.*</c> tags of a woven method, built once per method and handed to every start (the Activity copies
    /// them; nothing changes the list afterwards). <see langword="null"/> without a function name.
    /// </summary>
    internal static List<KeyValuePair<string, object?>>? CodeTags(string? functionName, string? filePath, int lineNumber)
    {
        if (functionName == null)
        {
            return null;
        }

        // A List, not an array: the Activity enumerates it without allocating an enumerator.
        var tags = new List<KeyValuePair<string, object?>>(3) { new(FunctionName, functionName) };
        if (filePath != null)
        {
            tags.Add(new(FilePath, filePath));
            tags.Add(new(LineNumber, (long)lineNumber));
        }

        return tags;
    }

    /// <summary>
    /// Starts the Activity of a manual span with its enter tags: child of <paramref name="parent"/> (a parent span's
    /// Activity) when there is one, otherwise of <see cref="Activity.Current"/>.
    /// </summary>
    internal static Activity? StartManual(string name, Activity? parent, List<KeyValuePair<string, object?>> tags)
    {
        try
        {
            ActivityContext context = parent != null && parent != Activity.Current ? parent.Context : default;
            return ManualSource.StartActivity(name, ActivityKind.Internal, context, tags.Count > 0 ? tags : null);
        }
        catch
        {
            return null;
        }
    }

    /// <summary>Sets a tag from an argument or return value, typed as <see cref="AttributeValues"/> says.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static void SetTag<T>(Activity activity, string key, T value, bool callToString)
    {
        if (!activity.IsAllDataRequested)
        {
            return;
        }

        if (AttributeValues.IsTypedWithoutFormatting<T>())
        {
            // An integer, boolean, double or string: nothing here runs user code or a listener, so nothing to guard.
            object? typed = AttributeValues.From(value, callToString);
            if (typed != null)
            {
                activity.SetTag(key, typed);
            }

            return;
        }

        SetFormattedTag(activity, key, value, callToString);
    }

    private static void SetFormattedTag<T>(Activity activity, string key, T value, bool callToString)
    {
        try
        {
            object? tag = AttributeValues.From(value, callToString);
            if (tag != null)
            {
                activity.SetTag(key, tag);
            }
        }
        catch
        {
            // A listener's callback or a formatter failed: the tag is dropped, the call goes on.
        }
    }

    /// <summary>
    /// Sets a tag from a value of a type without dedicated format, formatting it once, even when the Activity does
    /// not record tags; returns the tag value for the sysdig side to reuse.
    /// </summary>
    internal static object? SetObjectTag<T>(Activity activity, string key, T value, bool callToString)
    {
        object? tag = null;
        try
        {
            tag = AttributeValues.FromObject(value, callToString);
            if (tag != null && activity.IsAllDataRequested)
            {
                activity.SetTag(key, tag);
            }
        }
        catch
        {
            // A listener failed: the tag is dropped, the call goes on.
        }

        return tag;
    }

    /// <summary>
    /// Ends <paramref name="activity"/>: with an exception, status Error and the <c>exception</c> event (type, message,
    /// stack trace) as the OpenTelemetry conventions record one. The exception is only read. Whatever was current
    /// before stays current.
    /// </summary>
    internal static void Stop(Activity activity, Exception? exception) => End(activity, exception, keepCurrent: true);

    /// <summary>
    /// Ends <paramref name="activity"/> as <see cref="Stop"/> does, in the flow that started it (a synchronous method's
    /// finally): <see cref="Activity.Stop"/> gives back the <see cref="Activity.Current"/> of the start, the caller's,
    /// even when the method's body left another one current, as hand-written <c>using</c> code does.
    /// </summary>
    internal static void StopWhereStarted(Activity activity, Exception? exception) => End(activity, exception, keepCurrent: false);

    private static void End(Activity activity, Exception? exception, bool keepCurrent)
    {
        try
        {
            if (exception != null)
            {
                RecordException(activity, exception);
            }

            if (!keepCurrent)
            {
                activity.Stop();
                return;
            }

            // Stop makes the parent current: right where the Activity is current, wrong where it ends elsewhere
            // (an enumerator disposed by its caller, an async iterator completed by another enumeration step).
            Activity? current = Activity.Current;
            activity.Stop();
            if (current != activity)
            {
                Restore(current);
            }
        }
        catch
        {
            // A listener's ActivityStopped callback threw: nothing of it reaches the traced method.
        }
    }

    private static void RecordException(Activity activity, Exception exception)
    {
        string? message = Read(() => exception.Message);
        activity.SetStatus(ActivityStatusCode.Error, message);
        if (!activity.IsAllDataRequested)
        {
            return;
        }

        var tags = new ActivityTagsCollection
        {
            { "exception.type", Read(() => exception.GetType().FullName) ?? "Exception" },
            { "exception.message", message },
            { "exception.stacktrace", Read(exception.ToString) },
        };
        activity.AddEvent(new ActivityEvent("exception", default, tags));
    }

    private static string? Read(Func<string?> read)
    {
        try
        {
            return read();
        }
        catch
        {
            return null;
        }
    }

    /// <summary>Makes <paramref name="activity"/> current, unless it already is (an <c>AsyncLocal</c> write costs).</summary>
    internal static void MakeCurrent(Activity activity)
    {
        if (Activity.Current != activity)
        {
            Activity.Current = activity;
        }
    }

    /// <summary>Puts <paramref name="previous"/> back as <see cref="Activity.Current"/>.</summary>
    internal static void Restore(Activity? previous)
    {
        if (Activity.Current != previous)
        {
            Activity.Current = previous;
        }
    }
}
