using System;
using System.Globalization;
using SysdigTracers.Internal;

namespace SysdigTracers;

/// <summary>
/// The id of a span, which sysdig uses (with the tags) to pair an exit with its enter, machine-wide.
/// </summary>
/// <remarks>
/// <see cref="Thread"/> (<c>t</c>, the default) and <see cref="Process"/> (<c>p</c>) are resolved by sysdig to the
/// writing thread or process, so a span that starts on one thread and ends on another never pairs under <c>t</c>:
/// code that may change threads (async methods) should use <see cref="New"/>.
/// </remarks>
public readonly struct SpanId : IEquatable<SpanId>
{
    private const long ProcessValue = -1;

    // 0: thread, -1: process, positive: that number.
    private readonly long _value;

    private SpanId(long value) => _value = value;

    /// <summary>The writing thread's id, written as <c>t</c>. This is <c>default(SpanId)</c>.</summary>
    public static SpanId Thread => default;

    /// <summary>The writing process's id, written as <c>p</c>.</summary>
    public static SpanId Process => new(ProcessValue);

    /// <summary>Whether this is <see cref="Thread"/>.</summary>
    public bool IsThread => _value == 0;

    /// <summary>Whether this is <see cref="Process"/>.</summary>
    public bool IsProcess => _value == ProcessValue;

    /// <summary>The explicit number, or 0 for <see cref="Thread"/> and <see cref="Process"/>.</summary>
    public long Number => _value > 0 ? _value : 0;

    internal long Value => _value;

    /// <summary>A fresh id from <see cref="Tracer.NewSpanId"/>: positive and unique, safe across threads.</summary>
    /// <returns>The new id.</returns>
    public static SpanId New() => new(SpanIds.Next());

    /// <summary>An explicit numeric id, for example one shared with another process.</summary>
    /// <param name="number">The id; must be positive (sysdig misreads 0 and zero-padded ids).</param>
    /// <returns>The id.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="number"/> is zero or negative.</exception>
    public static SpanId FromNumber(long number)
    {
        if (number <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(number), number, "A span id must be positive.");
        }

        return new SpanId(number);
    }

    /// <inheritdoc/>
    public bool Equals(SpanId other) => _value == other._value;

    /// <inheritdoc/>
    public override bool Equals(object? obj) => obj is SpanId other && Equals(other);

    /// <inheritdoc/>
    public override int GetHashCode() => _value.GetHashCode();

    /// <summary>The id as written in a tracer: <c>t</c>, <c>p</c> or the number.</summary>
    /// <returns>The id text.</returns>
    public override string ToString() =>
        _value == 0 ? "t" : _value == ProcessValue ? "p" : _value.ToString(CultureInfo.InvariantCulture);

    /// <summary>Compares two ids.</summary>
    /// <param name="left">The first id.</param>
    /// <param name="right">The second id.</param>
    /// <returns>Whether they are the same id.</returns>
    public static bool operator ==(SpanId left, SpanId right) => left.Equals(right);

    /// <summary>Compares two ids.</summary>
    /// <param name="left">The first id.</param>
    /// <param name="right">The second id.</param>
    /// <returns>Whether they differ.</returns>
    public static bool operator !=(SpanId left, SpanId right) => !left.Equals(right);
}
