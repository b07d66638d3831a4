using System;
using System.ComponentModel;

namespace SysdigTracers.Infrastructure;

/// <summary>
/// Infrastructure for code woven by SysdigTracers.Fody; not meant to be called by hand (use <see cref="Tracer"/>).
/// One instance exists per woven method and holds the already encoded tracer bytes that do not depend on the call.
/// </summary>
/// <remarks>
/// Woven code checks <see cref="Tracer.Enabled"/> once on entry and calls nothing here when tracing is off.
/// Span id <c>0</c> means "the writing thread" (<c>t</c>); any other value is written as that number.
/// Nothing here ever throws.
/// </remarks>
[EditorBrowsable(EditorBrowsableState.Never)]
public sealed class MethodTracer
{
    /// <summary>Creates the tracer of one method.</summary>
    /// <param name="tag">Dotted tag, for example <c>MyApp.Orders.Place</c>; each component is sanitised.</param>
    /// <param name="argumentNames">Names of the enter arguments, in the order <see cref="TracerArgs.Add{T}"/> is called.</param>
    public MethodTracer(string tag, string[]? argumentNames)
    {
        throw new NotImplementedException();
    }

    /// <summary>Creates the tracer of one method without enter arguments.</summary>
    /// <param name="tag">Dotted tag; each component is sanitised.</param>
    public MethodTracer(string tag) : this(tag, null)
    {
    }

    /// <summary>Writes the enter tracer with id <c>t</c> and no arguments: one constant <c>write(2)</c>.</summary>
    public void Enter() => throw new NotImplementedException();

    /// <summary>Writes the enter tracer with the given span id (0 means <c>t</c>) and no arguments.</summary>
    /// <param name="spanId">A positive id from <see cref="Tracer.NewSpanId"/>, or 0 for <c>t</c>.</param>
    public void Enter(long spanId) => throw new NotImplementedException();

    /// <summary>Starts an enter tracer whose arguments the caller adds, in the order of the argument names.</summary>
    /// <param name="spanId">A positive id, or 0 for <c>t</c>.</param>
    /// <returns>The writer; call <see cref="TracerArgs.Write"/> exactly once.</returns>
    public TracerArgs BeginEnter(long spanId) => throw new NotImplementedException();

    /// <summary>Writes the exit tracer with id <c>t</c>; adds <c>exception=TypeFullName</c> when <paramref name="exception"/> is set.</summary>
    /// <param name="exception">The exception that ends the method, or <see langword="null"/>.</param>
    public void Exit(Exception? exception) => throw new NotImplementedException();

    /// <summary>Writes the exit tracer with the given span id (0 means <c>t</c>).</summary>
    /// <param name="spanId">The id the enter tracer used.</param>
    /// <param name="exception">The exception that ends the method, or <see langword="null"/>.</param>
    public void Exit(long spanId, Exception? exception) => throw new NotImplementedException();

    /// <summary>
    /// Writes the exit tracer with <c>return=value</c> when <paramref name="exception"/> is <see langword="null"/>,
    /// otherwise with <c>exception=TypeFullName</c>.
    /// </summary>
    /// <typeparam name="T">The return type; value types are formatted without boxing where possible.</typeparam>
    /// <param name="spanId">The id the enter tracer used (0 means <c>t</c>).</param>
    /// <param name="exception">The exception that ends the method, or <see langword="null"/>.</param>
    /// <param name="returnValue">The value returned.</param>
    public void ExitWithReturn<T>(long spanId, Exception? exception, T returnValue) => throw new NotImplementedException();
}
