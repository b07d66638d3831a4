using System;
using SysdigTracers.Internal;

namespace SysdigTracers;

/// <summary>
/// A span that has written its enter tracer and writes its exit tracer when disposed. Obtain one from
/// <see cref="Tracer.Start(string)"/> or <see cref="TracerSpanBuilder.Start"/>, and dispose it with <c>using</c>
/// so that the exit is written however the code ends (sysdig keeps unmatched enters open).
/// </summary>
/// <remarks>
/// <para>
/// A small struct: starting and ending spans does not allocate once the thread's pool of span buffers is warm.
/// Copies refer to the same span. Disposing more than once (through any copy) writes the exit once; calls on a span
/// that has ended do nothing. The default value, and every span started while <see cref="Tracer.Enabled"/> was
/// <see langword="false"/>, is inactive: all its members are no-ops.
/// </para>
/// <para>
/// Exit arguments (<see cref="Arg{T}"/>) are formatted when added, and written with the exit tracer. A span's
/// members are not meant to be called from several threads at the same time; ending it on another thread than the
/// one that started it is fine (use <see cref="SpanId.New"/> then, since <c>t</c> names the writing thread).
/// </para>
/// </remarks>
public readonly struct TracerSpan : IDisposable
{
    private readonly SpanState? _state;
    private readonly int _version;

    internal TracerSpan(SpanState state, int version)
    {
        _state = state;
        _version = version;
    }

    /// <summary>Whether the span has started and not yet ended: an exit tracer is still to be written.</summary>
    public bool IsActive => _state != null && _state.Version == _version;

    /// <summary>The span's id (<see cref="SpanId.Thread"/> for an inactive span).</summary>
    public SpanId Id
    {
        get
        {
            SpanState? state = _state;
            if (state == null || state.Version != _version)
            {
                return default;
            }

            return state.Id switch
            {
                0 => SpanId.Thread,
                < 0 => SpanId.Process,
                _ => SpanId.FromNumber(state.Id),
            };
        }
    }

    /// <summary>Adds an argument to the exit tracer, for example a result or a status.</summary>
    /// <typeparam name="T">The value's type: numbers, booleans, strings, enums, <see cref="Guid"/>, dates are
    /// formatted in the invariant culture (numbers and booleans without allocating); others with <c>ToString</c>.</typeparam>
    /// <param name="name">The argument name; characters sysdig cannot read in a name become <c>_</c>.</param>
    /// <param name="value">The value, escaped as needed; <see langword="null"/> is written as <c>null</c>.</param>
    /// <returns>This span, to chain calls.</returns>
    public TracerSpan Arg<T>(string name, T value)
    {
        SpanState? state = _state;
        if (state != null && state.Version == _version)
        {
            state.AppendArgument(name, value);
        }

        return this;
    }

    /// <summary>
    /// Starts a child span with the same id, whose tags are this span's tags followed by <paramref name="tag"/>
    /// (<c>orders.place</c> and <c>db</c> give <c>orders.place.db</c>), which is how sysdig nests spans.
    /// </summary>
    /// <param name="tag">The child's tag, or several dotted tags.</param>
    /// <returns>The child span, already entered; inactive if this span is.</returns>
    public TracerSpan Child(string tag) => BeginChild(tag).Start();

    /// <summary>Prepares a child span (see <see cref="Child"/>) to which enter arguments can be added.</summary>
    /// <param name="tag">The child's tag, or several dotted tags.</param>
    /// <returns>The builder; call <see cref="TracerSpanBuilder.Start"/> to write the enter tracer.</returns>
    public TracerSpanBuilder BeginChild(string tag)
    {
        SpanState? parent = _state;
        if (parent == null || parent.Version != _version)
        {
            return default;
        }

        SpanState child = SpanState.Rent();
        child.InitChild(parent, tag, parent.Activity != null);
        return new TracerSpanBuilder(child, child.Version, parent.Activity);
    }

    /// <summary>Writes the exit tracer, with the arguments added by <see cref="Arg{T}"/>. Only the first call writes.</summary>
    public void Dispose()
    {
        SpanState? state = _state;
        if (state != null && state.TryAdvance(_version))
        {
            state.EmitExit();
            SpanState.Return(state);
        }
    }
}
