using System;
using System.Globalization;
using System.Runtime.CompilerServices;

namespace SysdigTracers.Internal;

/// <summary>
/// Turns an argument or return value into an Activity tag value: integers (as <see cref="long"/>), booleans and
/// floating-point numbers (as <see cref="double"/>, a <see cref="float"/> as the double of its shortest text) keep their type, strings stay strings; every other value is the
/// text the sysdig tracer carries for it (<see cref="ValueFormatter"/>'s rules, the value policy included: without
/// <c>callToString</c>, a value of a type that is not well-known is its type's name; without the tracer's escaping),
/// cut to <see cref="TracerWriter.MaxTracerLength"/> UTF-8 bytes. <see langword="null"/> gives no tag at all.
/// </summary>
internal static class AttributeValues
{
    /// <summary>Whether <see cref="From{T}"/> converts values of <typeparamref name="T"/> by their static type alone, without formatting.</summary>
    internal static bool IsTypedWithoutFormatting<T>() =>
        typeof(T) == typeof(int) || typeof(T) == typeof(long) || typeof(T) == typeof(bool) || typeof(T) == typeof(double) ||
        typeof(T) == typeof(string);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static object? From<T>(T value, bool callToString)
    {
        if (typeof(T) == typeof(int))
        {
            return (long)ValueFormatter.As<T, int>(ref value);
        }

        if (typeof(T) == typeof(long))
        {
            return ValueFormatter.As<T, long>(ref value);
        }

        if (typeof(T) == typeof(bool))
        {
            return ValueFormatter.As<T, bool>(ref value) ? True : False;
        }

        if (typeof(T) == typeof(double))
        {
            return ValueFormatter.As<T, double>(ref value);
        }

        if (typeof(T) == typeof(string))
        {
            string? text = ValueFormatter.As<T, string?>(ref value);
            return text == null ? null : Cut(text);
        }

        return FromObject(value, callToString);
    }

    // The double nearest to the shortest text that reads back as the float (the text the tracer writes), not the
    // float's exact binary value: 0.1f is tagged 0.1, not 0.10000000149011612.
    private static double WidenFloat(float value) =>
        float.IsNaN(value) || float.IsInfinity(value)
            ? value
            : double.Parse(value.ToString("R", CultureInfo.InvariantCulture), NumberStyles.Float, CultureInfo.InvariantCulture);

    private static readonly object True = true;
    private static readonly object False = false;

    /// <summary>The tag of a value of a type without dedicated format: typed when it is a boxed primitive, else its text.</summary>
    internal static object? FromObject<T>(T value, bool callToString)
    {
        switch (value)
        {
            case null:
                return null;
            case int i:
                return (long)i;
            case long l:
                return l;
            case short s:
                return (long)s;
            case sbyte sb:
                return (long)sb;
            case byte b:
                return (long)b;
            case ushort us:
                return (long)us;
            case uint ui:
                return (long)ui;
            case ulong ul when ul <= long.MaxValue:
                return (long)ul;
            case bool flag:
                return flag ? True : False;
            case double d:
                return d;
            case float f:
                return WidenFloat(f);
            case string text:
                return Cut(text);
        }

        return Cut(ValueFormatter.FormatObject(value, callToString));
    }

    /// <summary>The longest prefix of <paramref name="text"/> that fits the tracer limit in UTF-8, never splitting a surrogate pair.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static string Cut(string text) => text.Length <= TracerWriter.MaxTracerLength / 3 ? text : CutLong(text);

    private static string CutLong(string text)
    {
        int limit = TracerWriter.MaxTracerLength;
        int bytes = 0;
        for (int i = 0; i < text.Length; i++)
        {
            char c = text[i];
            int size;
            if (char.IsHighSurrogate(c) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
            {
                size = 4;
            }
            else
            {
                size = c < 0x80 ? 1 : c < 0x800 ? 2 : 3;
            }

            if (bytes + size > limit)
            {
                return text.Substring(0, i);
            }

            bytes += size;
            if (size == 4)
            {
                i++;
            }
        }

        return text;
    }
}
