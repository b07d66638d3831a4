using System;
using System.IO;
using SysdigTracers;

namespace AssemblyToProcess.Shapes;

/// <summary>Many returns, only-throw methods, recursion, switch.</summary>
[Traced(Arguments = true, ReturnValue = true)]
public static class ControlFlow
{
    public static string Classify(int value)
    {
        if (value < 0)
        {
            return "negative";
        }

        if (value == 0)
        {
            return "zero";
        }

        for (var i = 1; i < 4; i++)
        {
            if (value == i)
            {
                return "small";
            }
        }

        return "large";
    }

    public static int Switch(int value)
    {
        switch (value)
        {
            case 1:
                return 10;
            case 2:
            case 3:
                return 20;
            case 7:
                throw new ArgumentOutOfRangeException(nameof(value), "seven");
            default:
                return -1;
        }
    }

    public static void Fail(string message) => throw new InvalidOperationException(message);

    public static int FailWithValue(int code)
    {
        throw new NotSupportedException("code " + code);
    }

    public static int Factorial(int n) => n <= 1 ? 1 : n * Factorial(n - 1);

    public static int InfiniteLoopUntil(int limit)
    {
        var i = 0;
        while (true)
        {
            if (++i >= limit)
            {
                return i;
            }
        }
    }
}

/// <summary>Methods that already contain try/catch/finally, filters, using, lock.</summary>
[Traced(Arguments = true, ReturnValue = true)]
public static class ExistingHandlers
{
    public static string CatchAndRecover(int value)
    {
        try
        {
            if (value > 0)
            {
                throw new InvalidOperationException("inner");
            }

            return "no exception";
        }
        catch (InvalidOperationException e)
        {
            return "caught " + e.Message;
        }
        finally
        {
            value++;
        }
    }

    public static int Filtered(int value)
    {
        try
        {
            throw new ArgumentException(value.ToString(System.Globalization.CultureInfo.InvariantCulture));
        }
        catch (ArgumentException e) when (e.Message == "1")
        {
            return 1;
        }
    }

    public static void Rethrow(int value)
    {
        try
        {
            Fail(value);
        }
        catch (InvalidOperationException) when (value > 0)
        {
            throw;
        }
    }

    public static int Using(string text)
    {
        using var reader = new StringReader(text);
        using (var second = new StringReader(text))
        {
            return reader.ReadToEnd().Length + second.Read();
        }
    }

    public static int Lock(int value)
    {
        var gate = new object();
        lock (gate)
        {
            return value + 1;
        }
    }

    public static int ReplacedExceptionCaughtInside(int value)
    {
        try
        {
            try
            {
                throw new InvalidOperationException("first");
            }
            finally
            {
                if (value > 0)
                {
                    throw new ArgumentException("second");
                }
            }
        }
        catch (ArgumentException)
        {
            return value;
        }
    }

    static void Fail(int value) => throw new InvalidOperationException("failed " + value);
}
