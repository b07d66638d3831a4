using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Linq;
using System.Threading.Tasks;
using NUnit.Framework;

namespace Tests.Async;

/// <summary>Exceptions thrown by woven async methods and iterators keep their stack traces and line numbers.</summary>
[TestFixture(ShapesBuild.Project)]
[TestFixture(ShapesBuild.RoslynRelease)]
public class StateMachineLineNumberTests : AsyncShapeTests
{
    public StateMachineLineNumberTests(ShapesBuild build) : base(build)
    {
    }

    [Test]
    public async Task AsyncMethod() =>
        await SameFrames(async s => await s.Call<Task<int>>("AsyncMethods", "ThrowsAfterAwait", Later()));

    [Test]
    public async Task CustomTaskLike() =>
        await SameFrames(async s =>
        {
            var custom = s.Call<object>("AsyncMethods", "CustomTaskAsync", Later(-1));
            await (Task<int>)custom.GetType().GetMethod("AsTask")!.Invoke(custom, null)!;
        });

    [Test]
    public async Task Iterator() =>
        await SameFrames(s =>
        {
            _ = s.Call<IEnumerable<int>>("Iterators", "ThrowsAfter", 1).ToList();
            return Task.CompletedTask;
        });

    [Test]
    public async Task IteratorThrowingInsideTryFinally() =>
        await SameFrames(s =>
        {
            _ = s.Call<IEnumerable<int>>("Iterators", "ThrowsInsideTry", new List<string>()).ToList();
            return Task.CompletedTask;
        });

    [Test]
    public async Task AsyncIterator() =>
        await SameFrames(async s =>
        {
            await foreach (var unused in s.Call<IAsyncEnumerable<int>>("AsyncIterators", "ThrowsAfter", 1, Later()))
            {
            }
        });

    async Task SameFrames(Func<Shapes, Task> scenario)
    {
        var unwoven = await Frames(() => scenario(Unwoven));
        var woven = await Frames(() => scenario(Woven));
        Assert.That(unwoven, Is.Not.Empty);
        Assert.That(unwoven[0], Does.Not.EndWith(":0"), "the throwing frame has a line number");
        Assert.That(woven, Is.EqualTo(unwoven));
    }

    static async Task<List<string>> Frames(Func<Task> scenario)
    {
        try
        {
            await scenario();
        }
        catch (Exception e)
        {
            return new StackTrace(e, true).GetFrames()
                .Where(f => f.GetMethod()?.DeclaringType?.FullName?.StartsWith(AsyncFixture.Namespace + ".", StringComparison.Ordinal) == true)
                .Select(f => $"{f.GetMethod()!.DeclaringType!.Name}.{f.GetMethod()!.Name}:{f.GetFileLineNumber()}")
                .ToList();
        }

        Assert.Fail("no exception");
        return null!;
    }
}
