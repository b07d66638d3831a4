using SysdigTracers.Internal;

namespace SysdigTracers;

/// <summary>
/// A span that has not started yet: add enter arguments with <see cref="Arg{T}"/>, then call <see cref="Start"/>.
/// Obtained from <see cref="Tracer.Begin(string)"/> or <see cref="TracerSpan.BeginChild"/>.
/// </summary>
/// <example>
/// <code>
/// using var span = Tracer.Begin("orders.place", SpanId.New())
///     .Arg("customer", customerId)
///     .Arg("items", items.Count)
///     .Start();
/// </code>
/// </example>
/// <remarks>
/// Copies refer to the same pending span; <see cref="Start"/> writes the enter tracer once, later calls return an
/// inactive span. A builder obtained while tracing is disabled is inactive and so is the span it starts.
/// A builder that is never started writes nothing.
/// </remarks>
public readonly struct TracerSpanBuilder
{
    private readonly SpanState? _state;
    private readonly System.Diagnostics.Activity? _parentActivity;
    private readonly int _version;

    internal TracerSpanBuilder(SpanState state, int version, System.Diagnostics.Activity? parentActivity = null)
    {
        _state = state;
        _version = version;
        _parentActivity = parentActivity;
    }

    /// <summary>Adds an argument to the enter tracer.</summary>
    /// <typeparam name="T">The value's type: numbers, booleans, strings, enums, <see cref="System.Guid"/>, dates are
    /// formatted in the invariant culture (numbers and booleans without allocating); others with <c>ToString</c>.</typeparam>
    /// <param name="name">The argument name; characters sysdig cannot read in a name become <c>_</c>.</param>
    /// <param name="value">The value, escaped as needed; <see langword="null"/> is written as <c>null</c>.</param>
    /// <returns>This builder, to chain calls.</returns>
    public TracerSpanBuilder Arg<T>(string name, T value)
    {
        SpanState? state = _state;
        if (state != null && state.Version == _version)
        {
            state.AppendArgument(name, value);
        }

        return this;
    }

    /// <summary>Writes the enter tracer with the arguments added so far.</summary>
    /// <returns>The started span; dispose it to write the exit tracer.</returns>
    public TracerSpan Start()
    {
        SpanState? state = _state;
        if (state == null || !state.TryAdvance(_version))
        {
            return default;
        }

        state.EmitEnter(_parentActivity);
        return new TracerSpan(state, unchecked(_version + 1));
    }
}
