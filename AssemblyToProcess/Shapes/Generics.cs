using System;
using System.Collections.Generic;
using SysdigTracers;

namespace AssemblyToProcess.Shapes;

/// <summary>Generic methods, with constraints.</summary>
public static class GenericMethods
{
    [Traced(Arguments = true, ReturnValue = true)]
    public static T Echo<T>(T value) => value;

    [Traced(Arguments = true, ReturnValue = true)]
    public static T Max<T>(T a, T b) where T : IComparable<T> => a.CompareTo(b) >= 0 ? a : b;

    [Traced(ReturnValue = true)]
    public static TResult Convert<TSource, TResult>(TSource source, Func<TSource, TResult> converter)
        where TResult : struct => converter(source);

    [Traced(Arguments = true, ReturnValue = true)]
    public static int CountItems<T>(List<T> items) where T : class => items.Count;
}

/// <summary>Methods of a generic type, with constraints.</summary>
[Traced(Arguments = true, ReturnValue = true)]
public class Box<T> where T : class, new()
{
    T? content;

    public T Content() => content ??= new T();

    public void Put(T value) => content = value;

    public TOther Map<TOther>(Func<T, TOther> map) => map(Content());

    public static Box<T> Create() => new Box<T>();
}

/// <summary>A generic struct.</summary>
[Traced(Arguments = true, ReturnValue = true)]
public struct Pair<TFirst, TSecond>
{
    TFirst first;
    TSecond second;

    public void Set(TFirst a, TSecond b)
    {
        first = a;
        second = b;
    }

    public readonly TFirst First() => first;

    public readonly string Describe() => $"{first}:{second}";
}
