using System;
using System.ComponentModel;
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

    /// <summary>Creates the tracer of one method.</summary>
    /// <param name="tag">Dotted tag, for example <c>MyApp.Orders.Place</c>; each component is sanitised.</param>
    /// <param name="argumentNames">Names of the enter arguments, in the order <see cref="TracerArgs.Add{T}"/> is called.</param>
    public MethodTracer(string tag, string[]? argumentNames)
    {
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
        _argumentNames = new byte[names.Length][];
        for (int i = 0; i < names.Length; i++)
        {
            fixed (byte* p = scratch)
            {
                var writer = new TracerWriter(p, 0);
                writer.BeginArgument(names[i], first: true);
                _argumentNames[i] = Copy(p, writer.Length);
            }
        }
    }

    /// <summary>Creates the tracer of one method without enter arguments.</summary>
    /// <param name="tag">Dotted tag; each component is sanitised.</param>
    public MethodTracer(string tag) : this(tag, null)
    {
    }

    internal byte[][] ArgumentNames => _argumentNames;

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
                ValueFormatter.Append(ref writer, returnValue);
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
