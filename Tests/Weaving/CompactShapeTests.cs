using System;
using System.Linq;
using Fody;
using Mono.Cecil;
using Mono.Cecil.Cil;
using NUnit.Framework;

namespace Tests.Weaving;

/// <summary>
/// Every shape woven without argument and return values, where most woven methods are small enough to keep the
/// inlinable form (a <c>throw</c> in the filter's never-entered handler, SysdigTracers.Fody/Weaving/JitInlining.cs):
/// the same behaviour as unwoven and the same tracers as the main configuration, values aside.
/// </summary>
public class CompactShapeTests
{
    const string CompactConfig =
        "<SysdigTracers IncludeNamespaces='AssemblyToProcess.Rules*' ExcludeNamespaces='AssemblyToProcess.Rules.Excluded' " +
        "TraceConstructors='true' TraceProperties='true' TraceTrivialMethods='true' CallToString='true' />";

    static TestResult Compact => WeavingFixture.Weave("compact", CompactConfig);

    [TestCaseSource(typeof(ShapeCases), nameof(ShapeCases.All))]
    public void BehavesAsUnwovenAndWritesTracersWithoutValues(Func<Target, object?> call, string[] expectedTracers)
    {
        var woven = new Target(Compact.Assembly);
        var unwoven = new Target(WeavingFixture.Unwoven);

        var original = WeavingFixture.Observe(() => call(unwoven));
        var actual = WeavingFixture.Observe(() => call(woven));

        Assert.Multiple(() =>
        {
            Assert.That(actual.Tracers.Select(WithoutValues), Is.EqualTo(expectedTracers.Select(WithoutValues)), "tracers, without values (members that ask for their arguments in their [Traced] still write them)");
            Assert.That(actual.Result, Is.EqualTo(original.Result), "result");
            Assert.That(actual.Exception?.GetType().FullName, Is.EqualTo(original.Exception?.GetType().FullName), "exception type");
            Assert.That(actual.Exception?.Message, Is.EqualTo(original.Exception?.Message), "exception message");
            Assert.That(actual.ExceptionFrames, Is.EqualTo(original.ExceptionFrames), "exception stack trace (methods and lines)");
        });
    }

    [Test]
    public void SmallWovenMethodsKeepTheInlinableFormAndLargeOnesDoNot()
    {
        using var module = ModuleDefinition.ReadModule(Compact.AssemblyPath);
        var handlers = module.GetTypes()
            .SelectMany(t => t.Methods)
            .Where(m => m.HasBody && !m.DeclaringType.Name.Contains('<') && !m.Name.Contains('<'))
            .SelectMany(m => m.Body.ExceptionHandlers.Where(IsWovenFilter).Select(h => (Method: m, Handler: h)))
            .ToList();
        var inlinable = handlers.Where(x => x.Handler.HandlerStart.OpCode == OpCodes.Throw).ToList();
        var outOfLine = handlers.Where(x => x.Handler.HandlerStart.OpCode == OpCodes.Pop && x.Handler.HandlerStart.Next.OpCode == OpCodes.Rethrow).ToList();
        static bool Forced(MethodDefinition m) => (m.ImplAttributes & MethodImplAttributes.AggressiveInlining) != 0;

        Assert.Multiple(() =>
        {
            Assert.That(inlinable.Count + outOfLine.Count, Is.EqualTo(handlers.Count), "every woven filter has one of the two forms");
            Assert.That(inlinable.Select(x => x.Method.Body.CodeSize), Has.All.LessThanOrEqualTo(100), "the JIT's limit for inlining on its own judgement");
            Assert.That(outOfLine.Select(x => x.Method.Body.CodeSize), Has.All.GreaterThan(100 + 2), "over the limit before the rethrow's two bytes");
            Assert.That(inlinable.Select(x => x.Method.FullName), Has.Some.Contains("Shapes.Plain::DoNothing"));
            Assert.That(inlinable.Where(x => Forced(x.Method)).Select(x => x.Method.Name), Is.EqualTo(new[] { "Small" }), "AggressiveInlining and small");
            Assert.That(outOfLine.Where(x => Forced(x.Method)).Select(x => x.Method.Name), Is.EqualTo(new[] { "Large" }), "AggressiveInlining and large");
        });
    }

    // isinst Exception; stloc ex; ldc.i4.0; endfilter: the filter that records the exception, never one of the body's.
    static bool IsWovenFilter(ExceptionHandler handler) =>
        handler.HandlerType == ExceptionHandlerType.Filter &&
        handler.FilterStart.OpCode == OpCodes.Isinst &&
        handler.FilterStart.Next.OpCode.Code is Code.Stloc or Code.Stloc_S or Code.Stloc_0 or Code.Stloc_1 or Code.Stloc_2 or Code.Stloc_3 &&
        handler.FilterStart.Next.Next.OpCode == OpCodes.Ldc_I4_0 &&
        handler.FilterStart.Next.Next.Next.OpCode == OpCodes.Endfilter;

    // ">:t:TAG:a=1:" → ">:t:TAG::"; an exit keeps the name of the exception that ended it.
    static string WithoutValues(string tracer)
    {
        var body = tracer.Substring(0, tracer.Length - 1);
        var cut = body.LastIndexOf(':');
        var arguments = body.Substring(cut + 1);
        var kept = tracer[0] == '<' && arguments.StartsWith("exception=", StringComparison.Ordinal) ? arguments : "";
        return body.Substring(0, cut + 1) + kept + ":";
    }
}
