using System;

namespace SysdigTracers.Internal;

/// <summary>
/// The value-like types whose text the runtime itself produces, so that writing them runs no user code: numbers,
/// <see cref="bool"/>, <see cref="char"/>, <see cref="string"/>, enums, <see cref="Guid"/>, dates and times,
/// <see cref="decimal"/> and <see cref="Uri"/> (exactly: a subclass may override <c>ToString</c>). A nullable with a
/// value arrives boxed as its underlying type, so nullable forms are included.
/// </summary>
internal static class WellKnownValues
{
    internal static bool IsWellKnown(object value)
    {
        if (value is string || value is Enum)
        {
            return true;
        }

        Type type = value.GetType();
        if (type.IsPrimitive)
        {
            // bool, char, the integer types, nint/nuint, float and double.
            return true;
        }

        return type == typeof(decimal) || type == typeof(Guid) || type == typeof(DateTime) ||
               type == typeof(DateTimeOffset) || type == typeof(TimeSpan) || type == typeof(Uri)
#if NET
               || type == typeof(DateOnly) || type == typeof(TimeOnly) || type == typeof(Half) ||
               type == typeof(Int128) || type == typeof(UInt128) || type == typeof(System.Numerics.BigInteger)
#else
               || IsDateOnlyOrTimeOnly(type)
#endif
            ;
    }
#if !NET

    /// <summary>
    /// Whether <paramref name="type"/> is <c>System.DateOnly</c> or <c>System.TimeOnly</c>, which this build cannot
    /// name but finds on the .NET 6 and 7 runtimes that load it.
    /// </summary>
    internal static bool IsDateOnlyOrTimeOnly(Type type) =>
        type.Assembly == typeof(object).Assembly && (type.FullName == "System.DateOnly" || type.FullName == "System.TimeOnly");
#endif
}
