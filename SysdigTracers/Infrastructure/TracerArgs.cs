using System;
using System.ComponentModel;

namespace SysdigTracers.Infrastructure;

/// <summary>
/// Infrastructure for code woven by SysdigTracers.Fody: builds one tracer with arguments in a reused per-thread
/// buffer. Obtained from <see cref="MethodTracer.BeginEnter"/>; call <see cref="Add{T}"/> once per argument name,
/// then <see cref="Write"/> once.
/// </summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public struct TracerArgs
{
    /// <summary>Appends the next argument, named by the method tracer's next argument name.</summary>
    /// <typeparam name="T">The value's type; primitives, strings and enums are formatted without allocating.</typeparam>
    /// <param name="value">The value; <see langword="null"/> is written as <c>null</c>.</param>
    public void Add<T>(T value) => throw new NotImplementedException();

    /// <summary>Writes the tracer with one <c>write(2)</c> and releases the buffer.</summary>
    public void Write() => throw new NotImplementedException();
}
