using System.Linq;
using NUnit.Framework;
using Tests.Weaving;

namespace Tests.Async;

/// <summary>The one warning left: a state machine attribute on code whose state machine is not the C# compiler's.</summary>
public class StateMachineWarningTests
{
    [Test]
    public void AStateMachineWithAnUnknownLayoutIsLeftUntracedWithAWarning()
    {
        var path = SnippetCompiler.CompileToFile(@"using System.Runtime.CompilerServices;
using System.Threading.Tasks;
using SysdigTracers;

public class HandWritten
{
    [Traced]
    [AsyncStateMachine(typeof(Machine))]
    public Task<int> Work()
    {
        return Task.FromResult(1);
    }

    sealed class Machine
    {
    }
}", "HandWrittenStateMachine");
        var result = AsyncFixture.Weave(path, "HandWrittenStateMachine");
        Assert.That(result.Errors, Is.Empty);
        Assert.That(result.Warnings.Select(w => w.Text), Is.EqualTo(new[]
        {
            "ST3004: 'HandWritten.Work()' is an async method whose state machine does not have the layout of the C# compiler's " +
            "(a <>1__state field set once by the method, a <>t__builder field completed by MoveNext); it is left untraced.",
        }));
        Assert.That(result.Warnings.Single().SequencePoint?.StartLine, Is.EqualTo(10));

        var work = result.Assembly.GetType("HandWritten")!.GetMethod("Work")!;
        Assert.That(((System.Threading.Tasks.Task<int>)work.Invoke(System.Activator.CreateInstance(work.DeclaringType!), null)!).Result, Is.EqualTo(1));
    }
}
