using System.Runtime.CompilerServices;

namespace InliningProbe;

/// <summary>One call of a measured method; a struct, so that <see cref="Loops.Run{T}"/> calls it directly.</summary>
public interface ICall
{
    long Invoke(int i);
}

/// <summary>The measuring loop, compiled once per <see cref="ICall"/>: only the callee's inlining varies.</summary>
public static class Loops
{
    [MethodImpl(MethodImplOptions.NoInlining)]
    public static long Run<T>(int n)
        where T : struct, ICall
    {
        long sum = 0;
        for (var i = 0; i < n; i++)
        {
            sum += default(T).Invoke(i);
        }

        return sum;
    }
}

/// <summary>The calls measured.</summary>
public static class Calls
{
    static readonly Plain P = new();
    static readonly Woven W = new();
    static readonly Shapes S = new();

    public struct PlainGetter : ICall { public readonly long Invoke(int i) => P.Getter(); }
    public struct WovenGetter : ICall { public readonly long Invoke(int i) => W.Getter(); }
    public struct PlainCall : ICall { public readonly long Invoke(int i) => P.Call(); }
    public struct WovenCall : ICall { public readonly long Invoke(int i) => W.Call(); }
    public struct PlainLength : ICall { public readonly long Invoke(int i) => P.Length(); }
    public struct WovenLength : ICall { public readonly long Invoke(int i) => W.Length(); }
    public struct PlainTwoArgs : ICall { public readonly long Invoke(int i) => P.TwoArgs(i, 7); }
    public struct WovenTwoArgs : ICall { public readonly long Invoke(int i) => W.TwoArgs(i, 7); }
    public struct PlainVoid : ICall { public readonly long Invoke(int i) { P.Void(i); return 0; } }
    public struct WovenVoid : ICall { public readonly long Invoke(int i) { W.Void(i); return 0; } }
    public struct PlainReturn : ICall { public readonly long Invoke(int i) => P.Return(i); }
    public struct WovenReturn : ICall { public readonly long Invoke(int i) => W.Return(i); }
    public struct TryFinally : ICall { public readonly long Invoke(int i) => S.TryFinally(); }
    public struct FilterRethrow : ICall { public readonly long Invoke(int i) => S.FilterRethrow(); }
    public struct FilterThrow : ICall { public readonly long Invoke(int i) => S.FilterThrow(); }
    public struct Catch : ICall { public readonly long Invoke(int i) => S.Catch(); }
}
