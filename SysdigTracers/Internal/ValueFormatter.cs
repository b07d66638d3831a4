using System;
using System.Globalization;
using System.Runtime.CompilerServices;

namespace SysdigTracers.Internal;

/// <summary>
/// Formats argument values in the invariant culture. The <c>typeof(T) == typeof(...)</c> tests are resolved when the
/// JIT specialises the method for a value type, so primitives are formatted without boxing.
/// </summary>
/// <remarks>
/// The value policy: values of the well-known value-like types (<see cref="WellKnownValues"/>) are formatted by the
/// runtime's own code. Any other value's text would come from its <c>ToString</c>, user code that may have side
/// effects, be slow, or print private data; unless the caller passes <c>callToString</c> (the <c>CallToString</c>
/// option), it is written as its type's name, so that tracing never runs a member the user did not write for it.
/// </remarks>
internal static unsafe class ValueFormatter
{
    internal const string Null = "null";

    /// <summary>What the value of a parameter whose name says it holds a secret is written as, in both sinks.</summary>
    internal const string Redacted = "<redacted>";

    /// <summary>
    /// Whether <see cref="Append{T}"/> writes values of <typeparamref name="T"/> without looking at the value's type at
    /// run time; the other types go through <see cref="FormatObject{T}"/>, whose text a value shared with an Activity
    /// tag computes once (with <c>callToString</c>, it calls <c>ToString</c>, which must not run twice).
    /// </summary>
    internal static bool HasDedicatedFormat<T>() =>
        typeof(T) == typeof(int) || typeof(T) == typeof(long) || typeof(T) == typeof(bool) || typeof(T) == typeof(string) ||
        typeof(T) == typeof(short) || typeof(T) == typeof(sbyte) || typeof(T) == typeof(byte) || typeof(T) == typeof(ushort) ||
        typeof(T) == typeof(uint) || typeof(T) == typeof(ulong) || typeof(T) == typeof(nint) || typeof(T) == typeof(nuint) ||
        typeof(T) == typeof(char) || typeof(T) == typeof(double) || typeof(T) == typeof(float) || typeof(T) == typeof(decimal) ||
        typeof(T) == typeof(Guid) || typeof(T) == typeof(DateTime) || typeof(T) == typeof(DateTimeOffset) ||
        typeof(T) == typeof(TimeSpan)
#if NET
        || typeof(T) == typeof(DateOnly) || typeof(T) == typeof(TimeOnly)
#endif
        ;

    /// <summary>
    /// Appends a value of a type without dedicated format whose Activity tag <paramref name="tag"/> was already made
    /// from it (<see cref="AttributeValues.FromObject{T}"/>): its text is reused, so <c>ToString</c> runs once.
    /// </summary>
    internal static void AppendShared<T>(ref TracerWriter writer, T value, object? tag)
    {
        if (value is null)
        {
            writer.AppendLiteral(Null);
        }
        else if (tag is string text)
        {
            writer.AppendValue(text);
        }
        else
        {
            // A boxed number or boolean: formatted without user code.
            writer.AppendValue(ToInvariantString(value) ?? Null);
        }
    }

    internal static void Append<T>(ref TracerWriter writer, T value, bool callToString)
    {
        if (typeof(T) == typeof(int))
        {
            writer.AppendInt64(As<T, int>(ref value));
        }
        else if (typeof(T) == typeof(long))
        {
            writer.AppendInt64(As<T, long>(ref value));
        }
        else if (typeof(T) == typeof(bool))
        {
            writer.AppendLiteral(As<T, bool>(ref value) ? "true" : "false");
        }
        else if (typeof(T) == typeof(string))
        {
            string? text = As<T, string?>(ref value);
            if (text == null)
            {
                writer.AppendLiteral(Null);
            }
            else
            {
                writer.AppendValue(text);
            }
        }
        else if (typeof(T) == typeof(short))
        {
            writer.AppendInt64(As<T, short>(ref value));
        }
        else if (typeof(T) == typeof(sbyte))
        {
            writer.AppendInt64(As<T, sbyte>(ref value));
        }
        else if (typeof(T) == typeof(byte))
        {
            writer.AppendUInt64(As<T, byte>(ref value));
        }
        else if (typeof(T) == typeof(ushort))
        {
            writer.AppendUInt64(As<T, ushort>(ref value));
        }
        else if (typeof(T) == typeof(uint))
        {
            writer.AppendUInt64(As<T, uint>(ref value));
        }
        else if (typeof(T) == typeof(ulong))
        {
            writer.AppendUInt64(As<T, ulong>(ref value));
        }
        else if (typeof(T) == typeof(nint))
        {
            writer.AppendInt64(As<T, nint>(ref value));
        }
        else if (typeof(T) == typeof(nuint))
        {
            writer.AppendUInt64(As<T, nuint>(ref value));
        }
        else if (typeof(T) == typeof(char))
        {
            writer.AppendValue(As<T, char>(ref value));
        }
#if NET
        else if (typeof(T) == typeof(double))
        {
            AppendFormatted(ref writer, As<T, double>(ref value), default);
        }
        else if (typeof(T) == typeof(float))
        {
            AppendFormatted(ref writer, As<T, float>(ref value), default);
        }
        else if (typeof(T) == typeof(decimal))
        {
            AppendFormatted(ref writer, As<T, decimal>(ref value), default);
        }
        else if (typeof(T) == typeof(Guid))
        {
            AppendFormatted(ref writer, As<T, Guid>(ref value), default);
        }
        else if (typeof(T) == typeof(DateTime))
        {
            AppendFormatted(ref writer, As<T, DateTime>(ref value), "O");
        }
        else if (typeof(T) == typeof(DateTimeOffset))
        {
            AppendFormatted(ref writer, As<T, DateTimeOffset>(ref value), "O");
        }
        else if (typeof(T) == typeof(TimeSpan))
        {
            AppendFormatted(ref writer, As<T, TimeSpan>(ref value), "c");
        }
        else if (typeof(T) == typeof(DateOnly))
        {
            AppendFormatted(ref writer, As<T, DateOnly>(ref value), "O");
        }
        else if (typeof(T) == typeof(TimeOnly))
        {
            AppendFormatted(ref writer, As<T, TimeOnly>(ref value), "O");
        }
#else
        else if (typeof(T) == typeof(double) || typeof(T) == typeof(float) || typeof(T) == typeof(decimal) ||
                 typeof(T) == typeof(Guid) || typeof(T) == typeof(DateTime) || typeof(T) == typeof(DateTimeOffset) ||
                 typeof(T) == typeof(TimeSpan))
        {
            // No user code runs here, so, as on net8.0, these are formatted even inside a formatter-called ToString.
            writer.AppendValue(ToInvariantString(value) ?? Null);
        }
#endif
        else
        {
            AppendObject(ref writer, value, callToString);
        }
    }

#if NET
    private static void AppendFormatted<TValue>(ref TracerWriter writer, TValue value, ReadOnlySpan<char> format)
        where TValue : IUtf8SpanFormattable
    {
        byte* scratch = stackalloc byte[64];
        if (value.TryFormat(new Span<byte>(scratch, 64), out int written, format, CultureInfo.InvariantCulture))
        {
            writer.AppendValueUtf8(scratch, written);
        }
        else
        {
            // A well-known value: formatted without its ToString whatever the option.
            AppendObject(ref writer, value, callToString: false);
        }
    }
#endif

    // How many ToString calls made by the formatter are running on this thread.
    [ThreadStatic]
    private static int t_formattingDepth;

    private static void AppendObject<T>(ref TracerWriter writer, T value, bool callToString)
    {
        if (value is null)
        {
            writer.AppendLiteral(Null);
            return;
        }

        writer.AppendValue(FormatObject(value, callToString));
    }

    /// <summary>
    /// The text of a value that has no dedicated formatting. A boxed well-known value (a nullable, an enum, an
    /// <see cref="object"/> parameter) is formatted by the runtime. Any other value is written as its type's name,
    /// unless <paramref name="callToString"/> allows its <c>ToString</c>, which is user code: it may throw, or trace. A
    /// value met while a <c>ToString</c> called from here is running on the same thread (a traced method called by that
    /// <c>ToString</c>) is written as its type name instead: otherwise a <c>ToString</c> that reads traced members
    /// formats the same subtree again at every level, and the work grows exponentially with the depth of the object
    /// graph.
    /// </summary>
    internal static string FormatObject<T>(T value, bool callToString)
    {
        if (value is null)
        {
            return Null;
        }

        if (WellKnownValues.IsWellKnown(value))
        {
            return ToInvariantString(value) ?? Null;
        }

        if (!callToString || t_formattingDepth > 0)
        {
            return TypeName(value);
        }

        string? text;
        t_formattingDepth++;
        try
        {
            text = ToInvariantString(value);
        }
        finally
        {
            t_formattingDepth--;
        }

        return text ?? Null;
    }

    private static string TypeName(object value)
    {
        try
        {
            // A runtime type's ToString is runtime code; unlike FullName, it names generic arguments without their assemblies.
            return value.GetType().ToString();
        }
        catch
        {
            return "object";
        }
    }

    internal static string? ToInvariantString<T>(T value)
    {
        try
        {
            // Tested on the value rather than on T, so that a Nullable<T> with a value (and a boxed value) is
            // written as T is.
#if !NET
            if (value is double d)
            {
                return d.ToString("R", CultureInfo.InvariantCulture);
            }

            if (value is float f)
            {
                return f.ToString("R", CultureInfo.InvariantCulture);
            }
#endif
            if (value is DateTime dateTime)
            {
                return dateTime.ToString("O", CultureInfo.InvariantCulture);
            }

            if (value is DateTimeOffset dateTimeOffset)
            {
                return dateTimeOffset.ToString("O", CultureInfo.InvariantCulture);
            }

            if (value is TimeSpan timeSpan)
            {
                return timeSpan.ToString("c", CultureInfo.InvariantCulture);
            }

#if NET
            if (value is DateOnly date)
            {
                return date.ToString("O", CultureInfo.InvariantCulture);
            }

            if (value is TimeOnly time)
            {
                return time.ToString("O", CultureInfo.InvariantCulture);
            }
#else
            if (value is IFormattable dateOrTime && WellKnownValues.IsDateOnlyOrTimeOnly(value.GetType()))
            {
                // The runtime this build runs on may have them (.NET 6 and 7 take this build).
                return dateOrTime.ToString("O", CultureInfo.InvariantCulture);
            }
#endif

            return value is IFormattable formattable
                ? formattable.ToString(null, CultureInfo.InvariantCulture)
                : value!.ToString();
        }
        catch (Exception exception)
        {
            return FormatFailure(exception);
        }
    }

    /// <summary>What a value whose <c>ToString</c> threw is written as: <c>&lt;ToString threw Type.Name&gt;</c>.</summary>
    internal static string FormatFailure(Exception exception)
    {
        try
        {
            return "<ToString threw " + exception.GetType().FullName + ">";
        }
        catch
        {
            return "<ToString threw>";
        }
    }

    /// <summary>Reads a <typeparamref name="TFrom"/> already known to be a <typeparamref name="TTo"/>, without boxing on .NET.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static TTo As<TFrom, TTo>(ref TFrom value)
    {
#if NET
        return Unsafe.As<TFrom, TTo>(ref value);
#else
        return (TTo)(object)value!;
#endif
    }
}
