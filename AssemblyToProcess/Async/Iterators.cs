using System;
using System.Collections.Generic;
using SysdigTracers;

namespace AssemblyToProcess.Async;

/// <summary>Iterator shapes (<c>IEnumerable&lt;T&gt;</c> and <c>IEnumerator&lt;T&gt;</c>).</summary>
public static class Iterators
{
    [Traced(Arguments = true)]
    public static IEnumerable<int> Range(int start, int count)
    {
        for (var i = 0; i < count; i++)
        {
            yield return start + i;
        }
    }

    [Traced]
    public static IEnumerable<string> WithFinally(List<string> log)
    {
        try
        {
            log.Add("body");
            yield return "a";
            yield return "b";
            yield return "c";
        }
        finally
        {
            log.Add("finally");
        }
    }

    [Traced]
    public static IEnumerable<int> ThrowsAfter(int count)
    {
        for (var i = 0; i < count; i++)
        {
            yield return i;
        }

        throw new InvalidOperationException("iterator failed after " + count);
    }

    [Traced]
    public static IEnumerable<int> ThrowsInsideTry(List<string> log)
    {
        try
        {
            yield return 1;
            throw new FormatException("inside try");
        }
        finally
        {
            log.Add("finally");
        }
    }

    /// <summary>A <c>finally</c> block that throws: from <c>Dispose</c> after an early break, or at the end.</summary>
    [Traced]
    public static IEnumerable<int> FinallyThrows(List<string> log)
    {
        try
        {
            yield return 1;
            yield return 2;
        }
        finally
        {
            log.Add("finally");
            throw new InvalidOperationException("cleanup failed");
        }
    }

    /// <summary>The body throws and the <c>finally</c> block the compiler's fault handler runs replaces the exception.</summary>
    [Traced]
    public static IEnumerable<int> FinallyReplacesException()
    {
        try
        {
            yield return 1;
            throw new FormatException("body failed");
        }
        finally
        {
            throw new InvalidOperationException("cleanup failed");
        }
    }

    /// <summary>An exception filter of the body that lets the exception through.</summary>
    [Traced]
    public static IEnumerable<int> FilterLetsThrough(List<string> log)
    {
        yield return 1;
        try
        {
            throw new FormatException("filtered");
        }
        catch (FormatException e) when (Observe(log, e))
        {
            yield break;
        }
    }

    static bool Observe(List<string> log, Exception e)
    {
        log.Add("filter " + e.Message);
        return false;
    }

    [Traced]
    public static IEnumerable<int> CatchesInside()
    {
        var value = 0;
        try
        {
            value = int.Parse("x");
        }
        catch (FormatException)
        {
            value = 7;
        }

        yield return value;
    }

    [Traced]
    public static IEnumerable<int> Empty()
    {
        yield break;
    }

    [Traced(Arguments = true)]
    public static IEnumerator<char> Letters(string text)
    {
        foreach (var c in text)
        {
            yield return c;
        }
    }

    [Traced(Arguments = true)]
    public static IEnumerable<T> Repeat<T>(T value, int count)
    {
        for (var i = 0; i < count; i++)
        {
            yield return value;
        }
    }

    /// <summary><paramref name="unused"/> is not used by the body: Release builds do not copy it into the iterator.</summary>
    [Traced(Arguments = true)]
    public static IEnumerable<int> UnusedParameter(int count, string unused)
    {
        for (var i = 0; i < count; i++)
        {
            yield return i;
        }
    }

    public static IEnumerable<int> NotTraced()
    {
        yield return 1;
    }

    /// <summary>Calls a traced method from its body, between two <c>yield return</c>s.</summary>
    [Traced]
    public static IEnumerable<int> Squares(int count)
    {
        for (var i = 1; i <= count; i++)
        {
            yield return Square(i);
        }
    }

    [Traced(Arguments = true, ReturnValue = true)]
    public static int Square(int value) => value * value;
}

/// <summary>An iterator of a generic type, using <c>this</c>.</summary>
public class GenericSequence<T>
{
    readonly T[] items;

    public GenericSequence(T[] items) => this.items = items;

    [Traced]
    public IEnumerable<T> Items()
    {
        foreach (var item in items)
        {
            yield return item;
        }
    }

    public static IEnumerable<T> Of(T[] items) => new GenericSequence<T>(items).Items();
}
