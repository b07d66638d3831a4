using System;
using System.Collections.Generic;
using System.ComponentModel;
using System.Diagnostics;
using System.Runtime.CompilerServices;
using SysdigTracers.Internal;

namespace SysdigTracers.Infrastructure;

/// <summary>
/// Infrastructure for code woven by SysdigTracers.Fody; not meant to be called by hand (use <see cref="Tracer"/>).
/// One instance exists per woven method and holds the already encoded tracer bytes that do not depend on the call.
/// </summary>
/// <remarks>
/// Woven code checks <see cref="Tracer.Enabled"/> once on entry and calls nothing here when tracing is off; the
/// methods here do not check it again, so that an exit is always written for an enter that was.
/// Span id <c>0</c> (or any value below 1) means "the writing thread" (<c>t</c>); any other value is written as that
/// number. Nothing here ever throws.
/// The <c>Start</c> and <c>End</c> overloads are inlined into woven methods; the members they call when a sink is on
/// are not (<see cref="MethodImplOptions.NoInlining"/>), so that a small woven method stays small enough for the JIT to
/// inline it and to copy its <c>finally</c> onto the normal return path (docs/inlining.md). Enter arguments and return
/// values are handed to them as generic values, so that a woven method with values is hardly larger than one without.
/// </remarks>
[EditorBrowsable(EditorBrowsableState.Never)]
public sealed unsafe class MethodTracer
{
    private static readonly byte[] ReturnName = Utf8("return=");
    private static readonly byte[] ExceptionName = Utf8("exception=");

    // ">:t:TAGS::" and "<:t:TAGS::", each followed by one spare byte for the echo's newline.
    private readonly byte[] _enterOnThread;
    private readonly byte[] _exitOnThread;
    private readonly int _onThreadLength;

    // ":TAGS:", what follows the id in every tracer of this method.
    private readonly byte[] _tagSection;

    // "name=" for each enter argument, sanitised.
    private readonly byte[][] _argumentNames;

    // The Activity side: null for a tracer created without a TracedAssembly.
    private readonly ActivitySource? _source;
    private readonly bool _traceContext;
    private readonly string _spanName;
    private readonly List<KeyValuePair<string, object?>>? _codeTags;
    private readonly string[] _argumentKeys;

    // Whether values of types other than the well-known value-like ones are written with ToString.
    private readonly bool _callToString;

    // The method's ceiling on spans per second, which asks the assembly's next; or the assembly's alone; null for none.
    private readonly SpanBudget? _budget;

    /// <summary>Creates the tracer of one method.</summary>
    /// <param name="tag">Dotted tag, for example <c>MyApp.Orders.Place</c>; each component is sanitised.</param>
    /// <param name="argumentNames">Names of the enter arguments, in the order <see cref="TracerArgs.Add{T}"/> is called.</param>
    public MethodTracer(string tag, string[]? argumentNames)
        : this(tag, argumentNames, null, tag, null, null, 0, false)
    {
    }

    /// <summary>Creates the tracer of one method that also records an <see cref="Activity"/> per call when listened to.</summary>
    /// <param name="tag">Dotted tag, for example <c>MyApp.Orders.Place</c>; each component is sanitised.</param>
    /// <param name="argumentNames">Names of the enter arguments, in the order <see cref="TracerArgs.Add{T}"/> is called; also the tag keys.</param>
    /// <param name="assembly">The woven assembly's source and options, or <see langword="null"/> for no Activities.</param>
    /// <param name="spanName">The Activity's name: the custom tag, or <c>Type.Method</c>.</param>
    /// <param name="functionName">
    /// The <c>code.function.name</c> tag: the method's fully qualified name; <see langword="null"/> for no <c>code.*</c>
    /// tags at all (FodyWeavers.xml <c>CodeAttributes="false"</c>).
    /// </param>
    /// <param name="filePath">The <c>code.file.path</c> tag, or <see langword="null"/> without debug information.</param>
    /// <param name="lineNumber">The <c>code.line.number</c> tag (the method's first line), used with <paramref name="filePath"/>.</param>
    /// <param name="callToString">
    /// Whether argument and return values of types other than the well-known value-like ones are written with their
    /// <c>ToString()</c> (the <c>CallToString</c> option); otherwise they are written as their type's name.
    /// </param>
    public MethodTracer(
        string tag,
        string[]? argumentNames,
        TracedAssembly? assembly,
        string spanName,
        string? functionName,
        string? filePath,
        int lineNumber,
        bool callToString)
    {
        _callToString = callToString;
        _budget = SpanBudget.For(assembly?.MaxSpansPerSecond ?? 0, assembly?.Budget);
        _source = assembly?.Source;
        _traceContext = assembly?.TraceContext ?? false;
        _spanName = spanName;
        _codeTags = ActivityRecorder.CodeTags(functionName, filePath, lineNumber);

        byte[] scratch = new byte[TracerWriter.BufferSize];
        fixed (byte* p = scratch)
        {
            var writer = new TracerWriter(p, 0);
            writer.Put((byte)':');
            writer.AppendTags(tag, continuation: false);
            writer.Put((byte)':');
            _tagSection = Copy(p, writer.Length);
        }

        _onThreadLength = 3 + _tagSection.Length + 1;
        _enterOnThread = BuildOnThread((byte)'>');
        _exitOnThread = BuildOnThread((byte)'<');

        string?[] names = argumentNames ?? Array.Empty<string>();
        _argumentKeys = new string[names.Length];
        _argumentNames = new byte[names.Length][];
        for (int i = 0; i < names.Length; i++)
        {
            fixed (byte* p = scratch)
            {
                var writer = new TracerWriter(p, 0);
                writer.BeginArgument(names[i], first: true);
                _argumentNames[i] = Copy(p, writer.Length);
            }

            _argumentKeys[i] = names[i] ?? "";
        }
    }

    /// <summary>Creates the tracer of one method without enter arguments.</summary>
    /// <param name="tag">Dotted tag; each component is sanitised.</param>
    public MethodTracer(string tag) : this(tag, null)
    {
    }

    internal byte[][] ArgumentNames => _argumentNames;

    internal string[] ArgumentKeys => _argumentKeys;

    internal bool CallToString => _callToString;

    /// <summary>
    /// Decides whether the call is traced, and starts its <see cref="Activity"/> when something listens to the
    /// assembly's source: kind Internal, child of <see cref="Activity.Current"/>, and current from now on. Without a
    /// listener: <see langword="null"/>, nothing allocated. When the call would write to either sink and the method
    /// has reached its ceiling on spans per second (<see cref="TracedAssembly.MaxSpansPerSecond"/>), or the assembly
    /// its own (<see cref="TracedAssembly.MaxAssemblySpansPerSecond"/>), the call is a skipped span: no Activity,
    /// <paramref name="write"/> becomes <see langword="false"/>, and <see cref="Tracer.SkippedSpans"/> counts it. A call
    /// that would write to neither sink asks no budget. Woven code asks once, at the enter, and ends in the sinks that
    /// the enter wrote to.
    /// </summary>
    /// <remarks>
    /// The Activity is handed to woven code as an <see cref="object"/> (and taken back as one by the members below),
    /// so that a woven assembly references nothing it did not reference before but this library: no
    /// <c>System.Diagnostics.DiagnosticSource</c> of another version than the application's, none at all for an
    /// application that does not use it.
    /// </remarks>
    /// <param name="write">
    /// On entry, whether tracing is on (<see cref="Tracer.Enabled"/>); on return, whether to write the sysdig tracers
    /// of this call.
    /// </param>
    /// <returns>The started Activity, or <see langword="null"/> (no listener, sampled out, or a skipped span).</returns>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public object? StartActivity(ref bool write)
    {
        ActivitySource? source = _source;
        bool listened = source != null && source.HasListeners();
        if (!write && !listened)
        {
            // Neither sink takes the call: no budget is asked.
            return null;
        }

        if (_budget != null)
        {
            return StartWithinBudget(ref write, listened);
        }

        return listened ? StartActivityCore(source!) : null;
    }

    // Out of line, the refusal of a spent window included: checked inline in StartActivity, it refused faster but made
    // every woven method larger and a small one slower with tracing off (benchmarks/README.md, the assembly ceiling).
    [MethodImpl(MethodImplOptions.NoInlining)]
    private object? StartWithinBudget(ref bool write, bool listened)
    {
        if (!_budget!.Admit())
        {
            write = false;
            return null;
        }

        return listened ? StartActivityCore(_source!) : null;
    }

    private Activity? StartActivityCore(ActivitySource source)
    {
        try
        {
            // The code.* tags go in with the start, where samplers see them, without SetTag's search for an existing key.
            return source.StartActivity(_spanName, ActivityKind.Internal, default(ActivityContext), _codeTags);
        }
        catch
        {
            // A listener's sampling or start callback threw: this call goes without an Activity.
            return null;
        }
    }

    /// <summary>
    /// Starts a call of a woven synchronous method without enter arguments: reads <see cref="Tracer.Enabled"/> once,
    /// decides the span and starts its <see cref="Activity"/> (see <see cref="StartActivity"/>) and, when the sysdig
    /// tracers are to be written, writes the enter tracer with id <c>t</c>. Inlined: with tracing off, no listener and
    /// no budget, the call is a few field reads.
    /// </summary>
    /// <param name="write">Receives whether the sysdig tracers of this call are written: <see cref="Tracer.Enabled"/>
    /// as read, unless the span is skipped by the budget.</param>
    /// <returns>The started Activity, or <see langword="null"/>.</returns>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public object? Start(out bool write)
    {
        write = Tracer.Enabled;
        object? activity = StartActivity(ref write);
        if (write)
        {
            Enter(0, activity);
        }

        return activity;
    }

    /// <summary>
    /// Starts a call of a woven synchronous method with one enter argument, as <see cref="Start(out bool)"/> does, the argument
    /// written to the enter tracer and set as a tag of the Activity (<see cref="TracerArgs.Add{T}"/>). Inlined: with
    /// tracing off, no listener and no budget, the call is a few field reads and the argument is not read.
    /// </summary>
    /// <typeparam name="T1">The argument's declared type.</typeparam>
    /// <param name="write">Receives whether the sysdig tracers of this call are written (see <see cref="Start(out bool)"/>).</param>
    /// <param name="argument1">The value of the first enter argument, named by the first of the constructor's <c>argumentNames</c>.</param>
    /// <returns>The started Activity, or <see langword="null"/>.</returns>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public object? Start<T1>(out bool write, T1 argument1)
    {
        write = Tracer.Enabled;
        object? activity = StartActivity(ref write);
        if (write || activity != null)
        {
            EnterWithArguments(write, activity, argument1);
        }

        return activity;
    }

    /// <summary>Starts a call with two enter arguments (see <see cref="Start{T1}"/>).</summary>
    /// <typeparam name="T1">The first argument's declared type.</typeparam>
    /// <typeparam name="T2">The second argument's declared type.</typeparam>
    /// <param name="write">Receives whether the sysdig tracers of this call are written (see <see cref="Start(out bool)"/>).</param>
    /// <param name="argument1">The value of the first argument.</param>
    /// <param name="argument2">The value of the second argument.</param>
    /// <returns>The started Activity, or <see langword="null"/>.</returns>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public object? Start<T1, T2>(out bool write, T1 argument1, T2 argument2)
    {
        write = Tracer.Enabled;
        object? activity = StartActivity(ref write);
        if (write || activity != null)
        {
            EnterWithArguments(write, activity, argument1, argument2);
        }

        return activity;
    }

    /// <summary>Starts a call with three enter arguments (see <see cref="Start{T1}"/>).</summary>
    /// <typeparam name="T1">The first argument's declared type.</typeparam>
    /// <typeparam name="T2">The second argument's declared type.</typeparam>
    /// <typeparam name="T3">The third argument's declared type.</typeparam>
    /// <param name="write">Receives whether the sysdig tracers of this call are written (see <see cref="Start(out bool)"/>).</param>
    /// <param name="argument1">The value of the first argument.</param>
    /// <param name="argument2">The value of the second argument.</param>
    /// <param name="argument3">The value of the third argument.</param>
    /// <returns>The started Activity, or <see langword="null"/>.</returns>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public object? Start<T1, T2, T3>(out bool write, T1 argument1, T2 argument2, T3 argument3)
    {
        write = Tracer.Enabled;
        object? activity = StartActivity(ref write);
        if (write || activity != null)
        {
            EnterWithArguments(write, activity, argument1, argument2, argument3);
        }

        return activity;
    }

    /// <summary>Starts a call with four enter arguments (see <see cref="Start{T1}"/>).</summary>
    /// <typeparam name="T1">The first argument's declared type.</typeparam>
    /// <typeparam name="T2">The second argument's declared type.</typeparam>
    /// <typeparam name="T3">The third argument's declared type.</typeparam>
    /// <typeparam name="T4">The fourth argument's declared type.</typeparam>
    /// <param name="write">Receives whether the sysdig tracers of this call are written (see <see cref="Start(out bool)"/>).</param>
    /// <param name="argument1">The value of the first argument.</param>
    /// <param name="argument2">The value of the second argument.</param>
    /// <param name="argument3">The value of the third argument.</param>
    /// <param name="argument4">The value of the fourth argument.</param>
    /// <returns>The started Activity, or <see langword="null"/>.</returns>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public object? Start<T1, T2, T3, T4>(out bool write, T1 argument1, T2 argument2, T3 argument3, T4 argument4)
    {
        write = Tracer.Enabled;
        object? activity = StartActivity(ref write);
        if (write || activity != null)
        {
            EnterWithArguments(write, activity, argument1, argument2, argument3, argument4);
        }

        return activity;
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private void EnterWithArguments<T1>(bool write, object? activity, T1 argument1)
    {
        TracerArgs arguments = BeginEnter(0, write, activity);
        arguments.Add(argument1);
        arguments.Write();
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private void EnterWithArguments<T1, T2>(bool write, object? activity, T1 argument1, T2 argument2)
    {
        TracerArgs arguments = BeginEnter(0, write, activity);
        arguments.Add(argument1);
        arguments.Add(argument2);
        arguments.Write();
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private void EnterWithArguments<T1, T2, T3>(bool write, object? activity, T1 argument1, T2 argument2, T3 argument3)
    {
        TracerArgs arguments = BeginEnter(0, write, activity);
        arguments.Add(argument1);
        arguments.Add(argument2);
        arguments.Add(argument3);
        arguments.Write();
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private void EnterWithArguments<T1, T2, T3, T4>(bool write, object? activity, T1 argument1, T2 argument2, T3 argument3, T4 argument4)
    {
        TracerArgs arguments = BeginEnter(0, write, activity);
        arguments.Add(argument1);
        arguments.Add(argument2);
        arguments.Add(argument3);
        arguments.Add(argument4);
        arguments.Write();
    }

    /// <summary>
    /// Ends a call of a woven synchronous method whose return value is written, in both sinks, as
    /// <see cref="ExitWithReturn{T}(long, bool, object?, Exception?, T)"/> with the span id of the writing thread.
    /// Inlined: with neither sink, the call is two tests.
    /// </summary>
    /// <typeparam name="T">The return type.</typeparam>
    /// <param name="write">What the call's start returned in its <c>write</c>.</param>
    /// <param name="call">The call's Activity, or <see langword="null"/>.</param>
    /// <param name="exception">The exception that ends the method, or <see langword="null"/>.</param>
    /// <param name="returnValue">The value returned (the type's default after an exception).</param>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void End<T>(bool write, object? call, Exception? exception, T returnValue)
    {
        if (write || call != null)
        {
            ExitWithReturn(0, write, call, exception, returnValue);
        }
    }

    /// <summary>
    /// Ends a call of a woven synchronous method whose return value is a secret (its name, or the name of the property
    /// it is the getter of, says it is one), as <see cref="End{T}"/> with <c>&lt;redacted&gt;</c> for the value, which is never read.
    /// Inlined: with neither sink, the call is two tests.
    /// </summary>
    /// <param name="write">What the call's start returned in its <c>write</c>.</param>
    /// <param name="call">The call's Activity, or <see langword="null"/>.</param>
    /// <param name="exception">The exception that ends the method, or <see langword="null"/>.</param>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void EndRedacted(bool write, object? call, Exception? exception)
    {
        if (write || call != null)
        {
            ExitWithReturn(0, write, call, exception, ValueFormatter.Redacted);
        }
    }

    /// <summary>
    /// Ends a call of a woven synchronous method without a written return value, in both sinks: the exit tracer when
    /// <paramref name="write"/>, and the Activity when there is one (see <see cref="Exit(long, bool, object?, Exception?)"/>).
    /// Inlined: with neither, the call is two tests.
    /// </summary>
    /// <param name="write">What <see cref="Start(out bool)"/> returned in its <c>write</c>.</param>
    /// <param name="call">The call's Activity, or <see langword="null"/>.</param>
    /// <param name="exception">The exception that ends the method, or <see langword="null"/>.</param>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void End(bool write, object? call, Exception? exception)
    {
        if (write || call != null)
        {
            EndWhereStarted(write, call, exception);
        }
    }

    // A synchronous method ends in the finally of the call that started its Activity: Activity.Stop puts back the
    // caller's Activity.Current, whatever the body left current, without reading it first.
    [MethodImpl(MethodImplOptions.NoInlining)]
    private void EndWhereStarted(bool write, object? call, Exception? exception)
    {
        if (write)
        {
            Exit(0, exception);
        }

        if (call is Activity activity)
        {
            ActivityRecorder.StopWhereStarted(activity, exception);
        }
    }

    /// <summary>
    /// Writes the enter tracer with the given span id (0 means <c>t</c>) and no arguments; with the assembly's
    /// <c>TraceContext</c> option and an <paramref name="activity"/>, the tracer carries its trace and span ids.
    /// </summary>
    /// <param name="spanId">A positive id from <see cref="Tracer.NewSpanId"/>, or 0 for <c>t</c>.</param>
    /// <param name="activity">The call's Activity, or <see langword="null"/>.</param>
    [MethodImpl(MethodImplOptions.NoInlining)]
    public void Enter(long spanId, object? activity)
    {
        if (activity != null && _traceContext)
        {
            BeginEnter(spanId, true, activity).Write();
        }
        else
        {
            Enter(spanId);
        }
    }

    /// <summary>
    /// Starts an enter whose arguments the caller adds: written to the enter tracer when <paramref name="write"/>
    /// (tracing is on), and set as tags of <paramref name="call"/> when there is one.
    /// </summary>
    /// <param name="spanId">A positive id, or 0 for <c>t</c>.</param>
    /// <param name="write">Whether to write the enter tracer.</param>
    /// <param name="call">The call's Activity, or <see langword="null"/>.</param>
    /// <returns>The writer; call <see cref="TracerArgs.Write"/> exactly once.</returns>
    [MethodImpl(MethodImplOptions.NoInlining)]
    public TracerArgs BeginEnter(long spanId, bool write, object? call)
    {
        Activity? activity = call as Activity;
        if (!write)
        {
            return new TracerArgs(this, null, 0, 0, activity);
        }

        byte[] buffer = ThreadBuffer.Rent();
        int start;
        int length;
        fixed (byte* p = buffer)
        {
            var writer = new TracerWriter(p, 0);
            WriteHeader(ref writer, (byte)'>', spanId);
            start = writer.Length;
            if (activity != null && _traceContext)
            {
                writer.BeginArgument(ActivityRecorder.TraceIdArgument, first: true);
                writer.AppendValue(activity.TraceId.ToHexString());
                writer.BeginArgument(ActivityRecorder.SpanIdArgument, first: false);
                writer.AppendValue(activity.SpanId.ToHexString());
            }

            length = writer.Length;
        }

        return new TracerArgs(this, buffer, start, length, activity);
    }

    /// <summary>Ends the call's Activity, with the tag <c>return</c> when the method returned normally.</summary>
    /// <typeparam name="T">The return type.</typeparam>
    /// <param name="activity">The Activity <see cref="StartActivity"/> returned.</param>
    /// <param name="exception">The exception that ends the method, or <see langword="null"/>.</param>
    /// <param name="returnValue">The value returned.</param>
    public void StopActivityWithReturn<T>(object activity, Exception? exception, T returnValue)
    {
        if (activity is not Activity started)
        {
            return;
        }

        if (exception == null)
        {
            ActivityRecorder.SetTag(started, ActivityRecorder.ReturnKey, returnValue, _callToString);
        }

        ActivityRecorder.Stop(started, exception);
    }

    /// <summary>
    /// Ends the call in both sinks with the value it returned: the exit tracer when <paramref name="write"/>, and the
    /// Activity when there is one. A value without dedicated format is formatted once for both.
    /// </summary>
    /// <typeparam name="T">The return type.</typeparam>
    /// <param name="spanId">The id the enter tracer used (0 means <c>t</c>).</param>
    /// <param name="write">Whether to write the exit tracer (tracing was on at the enter).</param>
    /// <param name="call">The call's Activity, or <see langword="null"/>.</param>
    /// <param name="exception">The exception that ends the method, or <see langword="null"/>.</param>
    /// <param name="returnValue">The value returned.</param>
    [MethodImpl(MethodImplOptions.NoInlining)]
    public void ExitWithReturn<T>(long spanId, bool write, object? call, Exception? exception, T returnValue)
    {
        Activity? activity = call as Activity;
        if (exception != null || activity == null || ValueFormatter.HasDedicatedFormat<T>())
        {
            if (write)
            {
                ExitWithReturn(spanId, exception, returnValue);
            }

            if (activity != null)
            {
                StopActivityWithReturn(activity, exception, returnValue);
            }

            return;
        }

        object? tag = ActivityRecorder.SetObjectTag(activity, ActivityRecorder.ReturnKey, returnValue, _callToString);
        if (write)
        {
            byte[] buffer = ThreadBuffer.Rent();
            fixed (byte* p = buffer)
            {
                var writer = new TracerWriter(p, 0);
                WriteHeader(ref writer, (byte)'<', spanId);
                if (writer.BeginArgument(ReturnName, first: true))
                {
                    ValueFormatter.AppendShared(ref writer, returnValue, tag);
                }

                writer.Close();
                TracerSink.Emit(p, writer.Length);
            }

            ThreadBuffer.Return(buffer);
        }

        ActivityRecorder.Stop(activity, null);
    }

    /// <summary>Ends the call in both sinks without a value (see <see cref="ExitWithReturn{T}(long, bool, object?, Exception?, T)"/>).</summary>
    /// <param name="spanId">The id the enter tracer used (0 means <c>t</c>).</param>
    /// <param name="write">Whether to write the exit tracer.</param>
    /// <param name="call">The call's Activity, or <see langword="null"/>.</param>
    /// <param name="exception">The exception that ends the method, or <see langword="null"/>.</param>
    [MethodImpl(MethodImplOptions.NoInlining)]
    public void Exit(long spanId, bool write, object? call, Exception? exception)
    {
        Activity? activity = call as Activity;
        if (write)
        {
            Exit(spanId, exception);
        }

        if (activity != null)
        {
            ActivityRecorder.Stop(activity, exception);
        }
    }

    /// <summary>
    /// Ends the call in both sinks, as <see cref="ExitWithReturn{T}(long, bool, object?, Exception?, T)"/> with
    /// <c>&lt;redacted&gt;</c> for the value, which woven code never reads: the end of an async method whose name says
    /// its result is a secret.
    /// </summary>
    /// <param name="spanId">The id the enter tracer used (0 means <c>t</c>).</param>
    /// <param name="write">Whether to write the exit tracer.</param>
    /// <param name="call">The call's Activity, or <see langword="null"/>.</param>
    /// <param name="exception">The exception that ends the method, or <see langword="null"/>.</param>
    [MethodImpl(MethodImplOptions.NoInlining)]
    public void ExitRedacted(long spanId, bool write, object? call, Exception? exception) =>
        ExitWithReturn(spanId, write, call, exception, ValueFormatter.Redacted);

    /// <summary>
    /// For an async method, after its state machine started: puts back the caller's <see cref="Activity.Current"/>,
    /// which <see cref="StartActivity"/> replaced (the state machine keeps running under its own copy).
    /// </summary>
    /// <param name="call">The Activity of the call, or <see langword="null"/>.</param>
    public static void Leave(object? call)
    {
        if (call is Activity activity)
        {
            ActivityRecorder.Restore(activity.Parent);
        }
    }

    /// <summary>At the start of a state machine step: makes the operation's Activity current again, if it has one.</summary>
    /// <param name="call">The operation's Activity, or <see langword="null"/>.</param>
    public static void MakeCurrent(object? call)
    {
        if (call is Activity activity)
        {
            ActivityRecorder.MakeCurrent(activity);
        }
    }

    /// <summary>
    /// At the start of an iterator's <c>MoveNext</c>: remembers the caller's <see cref="Activity.Current"/> and makes
    /// the enumeration's Activity current.
    /// </summary>
    /// <param name="call">The enumeration's Activity, or <see langword="null"/>.</param>
    /// <param name="caller">Receives the caller's current Activity.</param>
    /// <returns>Whether the current Activity was switched.</returns>
    public static bool Resume(object? call, out object? caller)
    {
        caller = Activity.Current;
        if (call is not Activity activity)
        {
            return false;
        }

        ActivityRecorder.MakeCurrent(activity);
        return true;
    }

    /// <summary>
    /// At the end of an iterator's <c>MoveNext</c>: gives the caller its <see cref="Activity.Current"/> back when this
    /// step switched it or started the enumeration's Activity.
    /// </summary>
    /// <param name="call">The enumeration's Activity (null once it ended).</param>
    /// <param name="switched">What <see cref="Resume"/> returned for this step.</param>
    /// <param name="caller">The caller's current Activity, from <see cref="Resume"/>.</param>
    public static void Suspend(object? call, bool switched, object? caller)
    {
        if (call != null || switched)
        {
            ActivityRecorder.Restore(caller as Activity);
        }
    }

    /// <summary>Writes the enter tracer with id <c>t</c> and no arguments: one constant <c>write(2)</c>.</summary>
    public void Enter()
    {
        fixed (byte* p = _enterOnThread)
        {
            TracerSink.Emit(p, _onThreadLength);
        }
    }

    /// <summary>Writes the enter tracer with the given span id (0 means <c>t</c>) and no arguments.</summary>
    /// <param name="spanId">A positive id from <see cref="Tracer.NewSpanId"/>, or 0 for <c>t</c>.</param>
    [MethodImpl(MethodImplOptions.AggressiveInlining)] // into Enter(long, object?): the woven call without an Activity
    public void Enter(long spanId)
    {
        if (spanId <= 0)
        {
            Enter();
            return;
        }

        EmitWithoutArguments((byte)'>', spanId);
    }

    /// <summary>Starts an enter tracer whose arguments the caller adds, in the order of the argument names.</summary>
    /// <param name="spanId">A positive id, or 0 for <c>t</c>.</param>
    /// <returns>The writer; call <see cref="TracerArgs.Write"/> exactly once.</returns>
    public TracerArgs BeginEnter(long spanId)
    {
        byte[] buffer = ThreadBuffer.Rent();
        int length;
        fixed (byte* p = buffer)
        {
            var writer = new TracerWriter(p, 0);
            WriteHeader(ref writer, (byte)'>', spanId);
            length = writer.Length;
        }

        return new TracerArgs(this, buffer, length);
    }

    /// <summary>Writes the exit tracer with id <c>t</c>; adds <c>exception=TypeFullName</c> when <paramref name="exception"/> is set.</summary>
    /// <param name="exception">The exception that ends the method, or <see langword="null"/>.</param>
    public void Exit(Exception? exception)
    {
        if (exception == null)
        {
            fixed (byte* p = _exitOnThread)
            {
                TracerSink.Emit(p, _onThreadLength);
            }
        }
        else
        {
            ExitWithException(0, exception);
        }
    }

    /// <summary>Writes the exit tracer with the given span id (0 means <c>t</c>).</summary>
    /// <param name="spanId">The id the enter tracer used.</param>
    /// <param name="exception">The exception that ends the method, or <see langword="null"/>.</param>
    public void Exit(long spanId, Exception? exception)
    {
        if (spanId <= 0)
        {
            Exit(exception);
        }
        else if (exception == null)
        {
            EmitWithoutArguments((byte)'<', spanId);
        }
        else
        {
            ExitWithException(spanId, exception);
        }
    }

    /// <summary>
    /// Writes the exit tracer with <c>return=value</c> when <paramref name="exception"/> is <see langword="null"/>,
    /// otherwise with <c>exception=TypeFullName</c>.
    /// </summary>
    /// <typeparam name="T">The return type; value types are formatted without boxing where possible.</typeparam>
    /// <param name="spanId">The id the enter tracer used (0 means <c>t</c>).</param>
    /// <param name="exception">The exception that ends the method, or <see langword="null"/>.</param>
    /// <param name="returnValue">The value returned.</param>
    public void ExitWithReturn<T>(long spanId, Exception? exception, T returnValue)
    {
        if (exception != null)
        {
            ExitWithException(spanId, exception);
            return;
        }

        byte[] buffer = ThreadBuffer.Rent();
        fixed (byte* p = buffer)
        {
            var writer = new TracerWriter(p, 0);
            WriteHeader(ref writer, (byte)'<', spanId);
            if (writer.BeginArgument(ReturnName, first: true))
            {
                ValueFormatter.Append(ref writer, returnValue, _callToString);
            }

            writer.Close();
            TracerSink.Emit(p, writer.Length);
        }

        ThreadBuffer.Return(buffer);
    }

    /// <summary>Writes the enter or exit header: direction, id and tags, up to the <c>:</c> that opens the arguments.</summary>
    internal void WriteHeader(ref TracerWriter writer, byte direction, long spanId)
    {
        writer.Put(direction);
        writer.Put((byte)':');
        writer.PutId(spanId > 0 ? spanId : 0);
        writer.Put(_tagSection);
    }

    private void EmitWithoutArguments(byte direction, long spanId)
    {
        // Direction, ':', at most 19 digits, the tag section, the closing ':' and the echo's newline.
        byte* p = stackalloc byte[_tagSection.Length + 24];
        var writer = new TracerWriter(p, 0);
        WriteHeader(ref writer, direction, spanId);
        writer.Close();
        TracerSink.Emit(p, writer.Length);
    }

    private void ExitWithException(long spanId, Exception exception)
    {
        string name;
        try
        {
            name = exception.GetType().FullName ?? "Exception";
        }
        catch
        {
            name = "Exception";
        }

        byte[] buffer = ThreadBuffer.Rent();
        fixed (byte* p = buffer)
        {
            var writer = new TracerWriter(p, 0);
            WriteHeader(ref writer, (byte)'<', spanId);
            if (writer.BeginArgument(ExceptionName, first: true))
            {
                writer.AppendValue(name);
            }

            writer.Close();
            TracerSink.Emit(p, writer.Length);
        }

        ThreadBuffer.Return(buffer);
    }

    private byte[] BuildOnThread(byte direction)
    {
        byte[] bytes = new byte[_onThreadLength + 1];
        bytes[0] = direction;
        bytes[1] = (byte)':';
        bytes[2] = (byte)'t';
        Array.Copy(_tagSection, 0, bytes, 3, _tagSection.Length);
        bytes[_onThreadLength - 1] = (byte)':';
        return bytes;
    }

    private static byte[] Copy(byte* source, int length)
    {
        byte[] bytes = new byte[length];
        for (int i = 0; i < length; i++)
        {
            bytes[i] = source[i];
        }

        return bytes;
    }

    private static byte[] Utf8(string ascii) => System.Text.Encoding.ASCII.GetBytes(ascii);
}
