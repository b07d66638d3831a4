using System;
using System.Collections.Generic;
using System.Linq;
using System.Text;
using NUnit.Framework;

namespace Tests.Weaving;

/// <summary>
/// Every member of AssemblyToProcess that the tests call, with the exact tracers the woven copy (main
/// configuration) must write. The unwoven copy must write none and behave identically.
/// </summary>
public static class ShapeCases
{
    const string S = "AssemblyToProcess.Shapes.";

    public static IEnumerable<TestCaseData> All()
    {
        // Plain
        yield return Case("Plain.Add", t => t.Static("Shapes.Plain", "Add", 1, 2),
            ">:t:" + S + "Plain.Add:a=1,b=2:",
            "<:t:" + S + "Plain.Add:return=3:");
        yield return Case("Plain.DoNothing", t => t.Static("Shapes.Plain", "DoNothing"),
            ">:t:" + S + "Plain.DoNothing::",
            "<:t:" + S + "Plain.DoNothing::");
        yield return Case("Plain.Describe with four arguments", t => t.Static("Shapes.Plain", "Describe", 3, null, 0.5, DayOfWeek.Friday),
            ">:t:" + S + "Plain.Describe:count=3,name=null,ratio=0.5,day=Friday:",
            "<:t:" + S + "Plain.Describe:return=3 nobody 0.5 Friday:");
        yield return Case("Plain.Sum with five arguments", t => t.Static("Shapes.Plain", "Sum", 1, 20L, (short)300, (byte)4, 5000),
            ">:t:" + S + "Plain.Sum:a=1,b=20,c=300,d=4,e=5000:",
            "<:t:" + S + "Plain.Sum:return=5325:");
        yield return Case("Plain.Greet skips [NoTrace] parameter", t => t.Static("Shapes.Plain", "Greet", "bob", "secret"),
            ">:t:" + S + "Plain.Greet:name=bob:",
            "<:t:" + S + "Plain.Greet::");
        yield return Case("Plain.Increment instance", t =>
            {
                var plain = t.New("Shapes.Plain");
                Target.Call(plain, "Increment");
                return Target.Call(plain, "Increment");
            },
            ">:t:" + S + "Plain.Increment::",
            "<:t:" + S + "Plain.Increment:return=1:",
            ">:t:" + S + "Plain.Increment::",
            "<:t:" + S + "Plain.Increment:return=2:");
        yield return Case("Plain.Throws exception", t => t.Static("Shapes.Plain", "Throws", 1),
            ">:t:" + S + "Plain.Throws::",
            "<:t:" + S + "Plain.Throws:exception=System.InvalidOperationException:");
        yield return Case("Plain.Throws no exception", t => t.Static("Shapes.Plain", "Throws", -1),
            ">:t:" + S + "Plain.Throws::",
            "<:t:" + S + "Plain.Throws::");
        yield return Case("Plain.NotTraced", t => t.Static("Shapes.Plain", "NotTraced", 2));

        // Constructors
        yield return Case("ConstructorBase", t => Target.Get(t.New("Shapes.ConstructorBase", 3), "Seed") ?? t.Type("Shapes.ConstructorBase").GetField("Seed")!.GetValue(t.New("Shapes.ConstructorBase", 3)),
            ">:t:" + S + "ConstructorBase.ctor:seed=3:",
            "<:t:" + S + "ConstructorBase.ctor::");
        yield return Case("Constructors base call", t => Target.Call(t.New("Shapes.Constructors", 5, "x"), "Describe"),
            ">:t:" + S + "ConstructorBase.ctor:seed=10:",
            "<:t:" + S + "ConstructorBase.ctor::",
            ">:t:" + S + "Constructors.ctor:seed=5,label=x:",
            "<:t:" + S + "Constructors.ctor::");
        yield return Case("Constructors this call", t => Target.Call(t.New("Shapes.Constructors"), "Describe"),
            ">:t:" + S + "ConstructorBase.ctor:seed=42:",
            "<:t:" + S + "ConstructorBase.ctor::",
            ">:t:" + S + "Constructors.ctor:seed=21,label=default:",
            "<:t:" + S + "Constructors.ctor::",
            ">:t:" + S + "Constructors.ctor::",
            "<:t:" + S + "Constructors.ctor::");
        yield return Case("Constructors throwing after base call", t => t.New("Shapes.Constructors", "throw"),
            ">:t:" + S + "ConstructorBase.ctor:seed=5:",
            "<:t:" + S + "ConstructorBase.ctor::",
            ">:t:" + S + "Constructors.ctor::",
            "<:t:" + S + "Constructors.ctor:exception=System.ArgumentException:");
        yield return Case("Constructors not throwing", t => Target.Call(t.New("Shapes.Constructors", "fine"), "Describe"),
            ">:t:" + S + "ConstructorBase.ctor:seed=4:",
            "<:t:" + S + "ConstructorBase.ctor::",
            ">:t:" + S + "Constructors.ctor::",
            "<:t:" + S + "Constructors.ctor::");
        yield return Case("Constructor with switch and lambda in base call", t => Target.Call(t.New("Shapes.ConstructorWithComplexBaseCall", "other"), "ToString"),
            ">:t:" + S + "ConstructorBase.ctor:seed=5:",
            "<:t:" + S + "ConstructorBase.ctor::",
            ">:t:" + S + "ConstructorWithComplexBaseCall.ctor::",
            "<:t:" + S + "ConstructorWithComplexBaseCall.ctor::");

        // Structs
        yield return Case("Point(x, y)", t => t.New("Shapes.Point", 1, 2),
            ">:t:" + S + "Point.ctor:x=1,y=2:",
            "<:t:" + S + "Point.ctor::");
        yield return Case("Point(both) : this(both, both)", t => t.New("Shapes.Point", 3),
            ">:t:" + S + "Point.ctor:x=3,y=3:",
            "<:t:" + S + "Point.ctor::",
            ">:t:" + S + "Point.ctor:both=3:",
            "<:t:" + S + "Point.ctor::");
        yield return Case("Point(text) with this = new Point(...)", t => t.New("Shapes.Point", "4,5"),
            ">:t:" + S + "Point.ctor:text=4\\,5:",
            ">:t:" + S + "Point.ctor:x=4,y=5:",
            "<:t:" + S + "Point.ctor::",
            "<:t:" + S + "Point.ctor::");
        yield return Case("Point methods", t =>
            {
                var point = t.New("Shapes.Point", 1, 2);
                Target.Call(point, "Move", 2, 2);
                return Target.Call(point, "LengthSquared");
            },
            ">:t:" + S + "Point.ctor:x=1,y=2:",
            "<:t:" + S + "Point.ctor::",
            ">:t:" + S + "Point.Move:dx=2,dy=2:",
            ">:t:" + S + "Point.ToString::",
            "<:t:" + S + "Point.ToString:return=(3\\,4\\,99):",
            "<:t:" + S + "Point.Move:return=(3\\,4\\,99):",
            ">:t:" + S + "Point.LengthSquared::",
            "<:t:" + S + "Point.LengthSquared:return=25:");

        // Static constructor
        yield return Case("StaticConstructor", t => t.Static("Shapes.StaticConstructor", "Read"),
            ">:t:" + S + "StaticConstructor.cctor::",
            "<:t:" + S + "StaticConstructor.cctor::");

        // Generics
        yield return Case("Echo<int>", t => t.StaticGeneric("Shapes.GenericMethods", "Echo", new[] { typeof(int) }, 5),
            ">:t:" + S + "GenericMethods.Echo:value=5:",
            "<:t:" + S + "GenericMethods.Echo:return=5:");
        yield return Case("Echo<string>", t => t.StaticGeneric("Shapes.GenericMethods", "Echo", new[] { typeof(string) }, "five"),
            ">:t:" + S + "GenericMethods.Echo:value=five:",
            "<:t:" + S + "GenericMethods.Echo:return=five:");
        yield return Case("Max<int> with constraint", t => t.StaticGeneric("Shapes.GenericMethods", "Max", new[] { typeof(int) }, 3, 9),
            ">:t:" + S + "GenericMethods.Max:a=3,b=9:",
            "<:t:" + S + "GenericMethods.Max:return=9:");
        yield return Case("Convert<string, int>", t => t.StaticGeneric("Shapes.GenericMethods", "Convert", new[] { typeof(string), typeof(int) }, "abc", new Func<string, int>(s => s.Length)),
            ">:t:" + S + "GenericMethods.Convert::",
            "<:t:" + S + "GenericMethods.Convert:return=3:");
        yield return Case("CountItems<string>", t => t.StaticGeneric("Shapes.GenericMethods", "CountItems", new[] { typeof(string) }, new List<string> { "a", "b" }),
            ">:t:" + S + "GenericMethods.CountItems:items=System.Collections.Generic.List`1[System.String]:",
            "<:t:" + S + "GenericMethods.CountItems:return=2:");
        yield return Case("Box<StringBuilder>", t =>
            {
                var type = t.Type("Shapes.Box`1").MakeGenericType(typeof(StringBuilder));
                var box = type.GetMethod("Create")!.Invoke(null, null)!;
                Target.Call(box, "Put", new StringBuilder("abc"));
                Target.Call(box, "Content");
                return Target.CallGeneric(box, "Map", new[] { typeof(int) }, new Func<StringBuilder, int>(b => b.Length));
            },
            ">:t:" + S + "Box.Create::",
            ">:t:" + S + "Box.ctor::",
            "<:t:" + S + "Box.ctor::",
            "<:t:" + S + "Box.Create:return=AssemblyToProcess.Shapes.Box`1[System.Text.StringBuilder]:",
            ">:t:" + S + "Box.Put:value=abc:",
            "<:t:" + S + "Box.Put::",
            ">:t:" + S + "Box.Content::",
            "<:t:" + S + "Box.Content:return=abc:",
            ">:t:" + S + "Box.Map:map=System.Func`2[System.Text.StringBuilder\\,System.Int32]:",
            ">:t:" + S + "Box.Content::",
            "<:t:" + S + "Box.Content:return=abc:",
            "<:t:" + S + "Box.Map:return=3:");
        yield return Case("Pair<int, string>", t =>
            {
                var pair = Target.New(t.Type("Shapes.Pair`2").MakeGenericType(typeof(int), typeof(string)));
                Target.Call(pair, "Set", 1, "one");
                Target.Call(pair, "First");
                return Target.Call(pair, "Describe");
            },
            ">:t:" + S + "Pair.Set:a=1,b=one:",
            "<:t:" + S + "Pair.Set::",
            ">:t:" + S + "Pair.First::",
            "<:t:" + S + "Pair.First:return=1:",
            ">:t:" + S + "Pair.Describe::",
            "<:t:" + S + "Pair.Describe:return=1\\:one:");

        // ref / out / in
        yield return Case("Swap(ref, ref)", t =>
            {
                var args = new object?[] { 1, 2 };
                t.Static("Shapes.RefParameters", "Swap", args);
                return args;
            },
            ">:t:" + S + "RefParameters.Swap:a=1,b=2:",
            "<:t:" + S + "RefParameters.Swap::");
        yield return Case("TryHalve(out) true", t =>
            {
                var args = new object?[] { 8, null };
                return new[] { t.Static("Shapes.RefParameters", "TryHalve", args), args[1] };
            },
            ">:t:" + S + "RefParameters.TryHalve:value=8:",
            "<:t:" + S + "RefParameters.TryHalve:return=true:");
        yield return Case("TryHalve(out) false", t =>
            {
                var args = new object?[] { 3, null };
                return new[] { t.Static("Shapes.RefParameters", "TryHalve", args), args[1] };
            },
            ">:t:" + S + "RefParameters.TryHalve:value=3:",
            "<:t:" + S + "RefParameters.TryHalve:return=false:");
        yield return Case("Total(in, ref readonly)", t => t.Static("Shapes.RefParameters", "Total", t.New("Shapes.Money", 150L), t.New("Shapes.Money", 50L)),
            ">:t:" + S + "RefParameters.Total:money=150,more=50:",
            "<:t:" + S + "RefParameters.Total:return=200:");
        yield return Case("Rename<string>(ref T)", t =>
            {
                var args = new object?[] { "old", "new" };
                t.StaticGeneric("Shapes.RefParameters", "Rename", new[] { typeof(string) }, args);
                return args;
            },
            ">:t:" + S + "RefParameters.Rename:target=old,value=new:",
            "<:t:" + S + "RefParameters.Rename::");
        yield return Case("ref return", t => Target.Call(t.New("Shapes.RefParameters"), "Slot", 1),
            ">:t:" + S + "RefParameters.ctor::",
            "<:t:" + S + "RefParameters.ctor::",
            ">:t:" + S + "RefParameters.Slot:index=1:",
            "<:t:" + S + "RefParameters.Slot:return=2:");
        yield return Case("ref readonly return", t => Target.Call(t.New("Shapes.RefParameters"), "ReadOnlySlot", 2),
            ">:t:" + S + "RefParameters.ctor::",
            "<:t:" + S + "RefParameters.ctor::",
            ">:t:" + S + "RefParameters.ReadOnlySlot:index=2:",
            "<:t:" + S + "RefParameters.ReadOnlySlot:return=3:");
        yield return Case("ref return throwing", t => Target.Call(t.New("Shapes.RefParameters"), "MissingSlot", 5),
            ">:t:" + S + "RefParameters.ctor::",
            "<:t:" + S + "RefParameters.ctor::",
            ">:t:" + S + "RefParameters.MissingSlot:index=5:",
            "<:t:" + S + "RefParameters.MissingSlot:exception=System.IndexOutOfRangeException:");

        // Return values of methods whose names say they return a secret
        const string R = S + "SecretResults.";
        yield return Case("secret result", t => t.Static("Shapes.SecretResults", "GetAccessToken", "ann"),
            ">:t:" + R + "GetAccessToken:user=ann:",
            "<:t:" + R + "GetAccessToken:return=<redacted>:");
        yield return Case("secret result throwing", t => t.Static("Shapes.SecretResults", "GetAccessToken", ""),
            ">:t:" + R + "GetAccessToken:user=:",
            "<:t:" + R + "GetAccessToken:exception=System.ArgumentException:");
        yield return Case("secret result, contained word", t => t.Static("Shapes.SecretResults", "CreateApiKey", 3),
            ">:t:" + R + "CreateApiKey:length=3:",
            "<:t:" + R + "CreateApiKey:return=<redacted>:");
        yield return Case("secret ref return", t => Target.Call(t.New("Shapes.SecretResults"), "RefreshToken", 1),
            ">:t:" + R + "ctor::",
            "<:t:" + R + "ctor::",
            ">:t:" + R + "RefreshToken:index=1:",
            "<:t:" + R + "RefreshToken:return=<redacted>:");
        yield return Case("secret ref return throwing", t => Target.Call(t.New("Shapes.SecretResults"), "RefreshToken", 7),
            ">:t:" + R + "ctor::",
            "<:t:" + R + "ctor::",
            ">:t:" + R + "RefreshToken:index=7:",
            "<:t:" + R + "RefreshToken:exception=System.IndexOutOfRangeException:");
        yield return Case("secret generic result, reference type", t => t.StaticGeneric("Shapes.SecretResults", "ReadSecret", new[] { typeof(string) }, "s3cr3t"),
            ">:t:" + R + "ReadSecret:value=s3cr3t:",
            "<:t:" + R + "ReadSecret:return=<redacted>:");
        yield return Case("secret generic result, value type", t => t.StaticGeneric("Shapes.SecretResults", "ReadSecret", new[] { typeof(long) }, 1234L),
            ">:t:" + R + "ReadSecret:value=1234:",
            "<:t:" + R + "ReadSecret:return=<redacted>:");
        yield return Case("secret result of a method named ...Async", t => t.Static("Shapes.SecretResults", "FetchTokenAsync", "ann"),
            ">:t:" + R + "FetchTokenAsync:user=ann:",
            "<:t:" + R + "FetchTokenAsync:return=<redacted>:");
        yield return Case("secret result of a local function", t => t.Static("Shapes.SecretResults", "IssuedLength", "ann"),
            ">:t:" + R + "IssuedLength:user=ann:",
            ">:t:" + R + "IssuedLength.IssueToken:who=ann:",
            "<:t:" + R + "IssuedLength.IssueToken:return=<redacted>:",
            "<:t:" + R + "IssuedLength:return=13:");
        yield return Case("secret result of a lambda", t => t.Static("Shapes.SecretResults", "GetClientSecret", "app"),
            ">:t:" + R + "GetClientSecret:client=app:",
            ">:t:" + R + "GetClientSecret.lambda_9_0:name=app:",
            "<:t:" + R + "GetClientSecret.lambda_9_0:return=<redacted>:",
            "<:t:" + R + "GetClientSecret:return=<redacted>:");
        yield return Case("secret result of an explicit interface implementation", t => t.Type("Shapes.ICredentialStore").GetMethod("GetToken")!.Invoke(t.New("Shapes.SecretResults"), null),
            ">:t:" + R + "ctor::",
            "<:t:" + R + "ctor::",
            ">:t:" + R + "ICredentialStore.GetToken::",
            "<:t:" + R + "ICredentialStore.GetToken:return=<redacted>:");
        yield return Case("clear result of an explicit implementation of a secret-named interface", t => t.Type("Shapes.ICredentialStore").GetMethod("Describe")!.Invoke(t.New("Shapes.SecretResults"), null),
            ">:t:" + R + "ctor::",
            "<:t:" + R + "ctor::",
            ">:t:" + R + "ICredentialStore.Describe::",
            "<:t:" + R + "ICredentialStore.Describe:return=store:");
        yield return Case("secret word inside another word: Tokenize", t => t.Static("Shapes.SecretResults", "Tokenize", "a b"),
            ">:t:" + R + "Tokenize:text=a b:",
            "<:t:" + R + "Tokenize:return=a|b:");
        yield return Case("secret word not at the end: TokenCount", t => t.Static("Shapes.SecretResults", "TokenCount", "a b c"),
            ">:t:" + R + "TokenCount:text=a b c:",
            "<:t:" + R + "TokenCount:return=3:");

        // Control flow
        foreach (var value in new[] { -1, 0, 2, 9 })
        {
            yield return Case($"Classify({value}) many returns", t => t.Static("Shapes.ControlFlow", "Classify", value),
                $">:t:{S}ControlFlow.Classify:value={value}:",
                $"<:t:{S}ControlFlow.Classify:return={value switch { < 0 => "negative", 0 => "zero", < 4 => "small", _ => "large" }}:");
        }

        foreach (var value in new[] { 1, 3, 7, 5 })
        {
            yield return Case($"Switch({value})", t => t.Static("Shapes.ControlFlow", "Switch", value),
                $">:t:{S}ControlFlow.Switch:value={value}:",
                value == 7
                    ? $"<:t:{S}ControlFlow.Switch:exception=System.ArgumentOutOfRangeException:"
                    : $"<:t:{S}ControlFlow.Switch:return={value switch { 1 => 10, 3 => 20, _ => -1 }}:");
        }

        yield return Case("Fail only throws", t => t.Static("Shapes.ControlFlow", "Fail", "boom"),
            ">:t:" + S + "ControlFlow.Fail:message=boom:",
            "<:t:" + S + "ControlFlow.Fail:exception=System.InvalidOperationException:");
        yield return Case("FailWithValue only throws", t => t.Static("Shapes.ControlFlow", "FailWithValue", 3),
            ">:t:" + S + "ControlFlow.FailWithValue:code=3:",
            "<:t:" + S + "ControlFlow.FailWithValue:exception=System.NotSupportedException:");
        yield return Case("Factorial recursion", t => t.Static("Shapes.ControlFlow", "Factorial", 3),
            ">:t:" + S + "ControlFlow.Factorial:n=3:",
            ">:t:" + S + "ControlFlow.Factorial:n=2:",
            ">:t:" + S + "ControlFlow.Factorial:n=1:",
            "<:t:" + S + "ControlFlow.Factorial:return=1:",
            "<:t:" + S + "ControlFlow.Factorial:return=2:",
            "<:t:" + S + "ControlFlow.Factorial:return=6:");
        yield return Case("InfiniteLoopUntil loop at first instruction", t => t.Static("Shapes.ControlFlow", "InfiniteLoopUntil", 3),
            ">:t:" + S + "ControlFlow.InfiniteLoopUntil:limit=3:",
            "<:t:" + S + "ControlFlow.InfiniteLoopUntil:return=3:");

        // Existing handlers
        yield return Case("CatchAndRecover caught", t => t.Static("Shapes.ExistingHandlers", "CatchAndRecover", 1),
            ">:t:" + S + "ExistingHandlers.CatchAndRecover:value=1:",
            "<:t:" + S + "ExistingHandlers.CatchAndRecover:return=caught inner:");
        yield return Case("CatchAndRecover no exception", t => t.Static("Shapes.ExistingHandlers", "CatchAndRecover", 0),
            ">:t:" + S + "ExistingHandlers.CatchAndRecover:value=0:",
            "<:t:" + S + "ExistingHandlers.CatchAndRecover:return=no exception:");
        yield return Case("Filtered filter true", t => t.Static("Shapes.ExistingHandlers", "Filtered", 1),
            ">:t:" + S + "ExistingHandlers.Filtered:value=1:",
            "<:t:" + S + "ExistingHandlers.Filtered:return=1:");
        yield return Case("Filtered filter false", t => t.Static("Shapes.ExistingHandlers", "Filtered", 2),
            ">:t:" + S + "ExistingHandlers.Filtered:value=2:",
            "<:t:" + S + "ExistingHandlers.Filtered:exception=System.ArgumentException:");
        yield return Case("Rethrow", t => t.Static("Shapes.ExistingHandlers", "Rethrow", 4),
            ">:t:" + S + "ExistingHandlers.Rethrow:value=4:",
            ">:t:" + S + "ExistingHandlers.Fail:value=4:",
            "<:t:" + S + "ExistingHandlers.Fail:exception=System.InvalidOperationException:",
            "<:t:" + S + "ExistingHandlers.Rethrow:exception=System.InvalidOperationException:");
        yield return Case("Using", t => t.Static("Shapes.ExistingHandlers", "Using", "abc"),
            ">:t:" + S + "ExistingHandlers.Using:text=abc:",
            "<:t:" + S + "ExistingHandlers.Using:return=100:");
        yield return Case("Lock", t => t.Static("Shapes.ExistingHandlers", "Lock", 0),
            ">:t:" + S + "ExistingHandlers.Lock:value=0:",
            "<:t:" + S + "ExistingHandlers.Lock:return=1:");
        yield return Case("Exception replaced in finally and caught inside", t => t.Static("Shapes.ExistingHandlers", "ReplacedExceptionCaughtInside", 1),
            ">:t:" + S + "ExistingHandlers.ReplacedExceptionCaughtInside:value=1:",
            "<:t:" + S + "ExistingHandlers.ReplacedExceptionCaughtInside:return=1:");
        yield return Case("Exception from finally not replaced", t => t.Static("Shapes.ExistingHandlers", "ReplacedExceptionCaughtInside", 0),
            ">:t:" + S + "ExistingHandlers.ReplacedExceptionCaughtInside:value=0:",
            "<:t:" + S + "ExistingHandlers.ReplacedExceptionCaughtInside:exception=System.InvalidOperationException:");

        // Aggressive inlining: the small one keeps the inlinable form, the large one is kept out of line
        yield return Case("InliningHints.Small", t => t.Static("Shapes.InliningHints", "Small", -4),
            ">:t:" + S + "InliningHints.Small::",
            "<:t:" + S + "InliningHints.Small::");
        yield return Case("InliningHints.Large", t => t.Static("Shapes.InliningHints", "Large", 2, 5, 3),
            ">:t:" + S + "InliningHints.Large:a=2,b=5,c=3:",
            "<:t:" + S + "InliningHints.Large:return=16:");
        yield return Case("InliningHints.Large throws", t => t.Static("Shapes.InliningHints", "Large", -1, 5, 3),
            ">:t:" + S + "InliningHints.Large:a=-1,b=5,c=3:",
            "<:t:" + S + "InliningHints.Large:exception=System.ArgumentOutOfRangeException:");

        // Polymorphism
        yield return Case("Square override and base call", t => Target.Call(t.New("Shapes.Square", 3), "Describe"),
            ">:t:" + S + "Square.ctor:side=3:",
            "<:t:" + S + "Square.ctor::",
            ">:t:" + S + "Square.Describe::",
            ">:t:" + S + "Shape.Describe::",
            ">:t:" + S + "Square.Area::",
            ">:t:" + S + "Square.get_Side::",
            "<:t:" + S + "Square.get_Side:return=3:",
            ">:t:" + S + "Square.get_Side::",
            "<:t:" + S + "Square.get_Side:return=3:",
            "<:t:" + S + "Square.Area:return=9:",
            "<:t:" + S + "Shape.Describe:return=shape of area 9:",
            "<:t:" + S + "Square.Describe:return=square\\: shape of area 9:");
        yield return Case("Square explicit interface implementations", t =>
            {
                var square = t.New("Shapes.Square", 2);
                var compareTo = square.GetType().GetInterfaces().Single(i => i.Name.StartsWith("IComparable", StringComparison.Ordinal)).GetMethod("CompareTo")!;
                var compared = compareTo.Invoke(square, new[] { t.New("Shapes.Square", 5) });
                ((IDisposable)square).Dispose();
                return new[] { compared, Target.Get(square, "Disposed") };
            },
            ">:t:" + S + "Square.ctor:side=2:",
            "<:t:" + S + "Square.ctor::",
            ">:t:" + S + "Square.ctor:side=5:",
            "<:t:" + S + "Square.ctor::",
            ">:t:" + S + "Square.IComparable.CompareTo:other=AssemblyToProcess.Shapes.Square:",
            ">:t:" + S + "Square.get_Side::",
            "<:t:" + S + "Square.get_Side:return=2:",
            ">:t:" + S + "Square.get_Side::",
            "<:t:" + S + "Square.get_Side:return=5:",
            "<:t:" + S + "Square.IComparable.CompareTo:return=-1:",
            ">:t:" + S + "Square.IDisposable.Dispose::",
            ">:t:" + S + "Square.set_Disposed:value=true:",
            "<:t:" + S + "Square.set_Disposed::",
            "<:t:" + S + "Square.IDisposable.Dispose::",
            ">:t:" + S + "Square.get_Disposed::",
            "<:t:" + S + "Square.get_Disposed:return=true:");
        yield return Case("Square operators", t =>
            {
                var type = t.Type("Shapes.Square");
                var sum = type.GetMethod("op_Addition")!.Invoke(null, new[] { t.New("Shapes.Square", 1), t.New("Shapes.Square", 2) })!;
                return type.GetMethod("op_Explicit")!.Invoke(null, new[] { sum });
            },
            ">:t:" + S + "Square.ctor:side=1:",
            "<:t:" + S + "Square.ctor::",
            ">:t:" + S + "Square.ctor:side=2:",
            "<:t:" + S + "Square.ctor::",
            ">:t:" + S + "Square.op_Addition:a=AssemblyToProcess.Shapes.Square,b=AssemblyToProcess.Shapes.Square:",
            ">:t:" + S + "Square.get_Side::",
            "<:t:" + S + "Square.get_Side:return=1:",
            ">:t:" + S + "Square.get_Side::",
            "<:t:" + S + "Square.get_Side:return=2:",
            ">:t:" + S + "Square.ctor:side=3:",
            "<:t:" + S + "Square.ctor::",
            "<:t:" + S + "Square.op_Addition:return=AssemblyToProcess.Shapes.Square:",
            ">:t:" + S + "Square.op_Explicit:square=AssemblyToProcess.Shapes.Square:",
            ">:t:" + S + "Square.get_Side::",
            "<:t:" + S + "Square.get_Side:return=3:",
            "<:t:" + S + "Square.op_Explicit:return=3:");
        yield return Case("Extension methods", t => new[]
            {
                t.Static("Shapes.Extensions", "Doubled", 4),
                t.Static("Shapes.Extensions", "Shout", "hi"),
            },
            ">:t:" + S + "Extensions.Doubled:value=4:",
            "<:t:" + S + "Extensions.Doubled:return=8:",
            ">:t:" + S + "Extensions.Shout:text=hi:",
            "<:t:" + S + "Extensions.Shout:return=HI!:");

        // Unsafe
        yield return Case("stackalloc and pointer parameter", t => t.Static("Shapes.UnsafeCode", "SumFirst", 3),
            ">:t:" + S + "UnsafeCode.SumFirst:count=3:",
            ">:t:" + S + "UnsafeCode.Sum:count=3:",
            "<:t:" + S + "UnsafeCode.Sum:return=6:",
            "<:t:" + S + "UnsafeCode.SumFirst:return=6:");
        yield return Case("Span return, stackalloc span", t => t.Static("Shapes.UnsafeCode", "SliceLength", 2),
            ">:t:" + S + "UnsafeCode.SliceLength:start=2:",
            ">:t:" + S + "UnsafeCode.Slice:data=System.Byte[],start=2:",
            "<:t:" + S + "UnsafeCode.Slice::",
            "<:t:" + S + "UnsafeCode.SliceLength:return=10:");
        yield return Case("SkipLocalsInit", t => t.Static("Shapes.UnsafeCode", "NoLocalsInit", 4),
            ">:t:" + S + "UnsafeCode.NoLocalsInit:count=4:",
            "<:t:" + S + "UnsafeCode.NoLocalsInit:return=4:");

        // Members
        yield return Case("Expression-bodied method", t => Target.Call(t.New("Shapes.Members"), "Twice", 3),
            ">:t:" + S + "Members.Twice:x=3:",
            "<:t:" + S + "Members.Twice:return=6:");
        yield return Case("Traced property", t =>
            {
                var members = t.New("Shapes.Members");
                Target.Set(members, "Total", 5);
                return Target.Get(members, "Total");
            },
            ">:t:" + S + "Members.set_Total::",
            "<:t:" + S + "Members.set_Total::",
            ">:t:" + S + "Members.get_Total::",
            "<:t:" + S + "Members.get_Total:return=5:");
        yield return Case("Auto-property with custom tag", t =>
            {
                var members = t.New("Shapes.Members");
                Target.Set(members, "Counter", 2);
                return Target.Get(members, "Counter");
            },
            ">:t:members.counter.set::",
            "<:t:members.counter.set::",
            ">:t:members.counter.get::",
            "<:t:members.counter.get::");
        yield return Case("Indexer with traced getter only", t =>
            {
                var members = t.New("Shapes.Members");
                var indexer = members.GetType().GetProperty("Item")!;
                indexer.SetValue(members, 4, new object[] { "k" });
                return indexer.GetValue(members, new object[] { "k" });
            },
            ">:t:" + S + "Members.get_Item:key=k:",
            "<:t:" + S + "Members.get_Item:return=4:");
        yield return Case("Local functions", t => Target.Call(t.New("Shapes.Members"), "WithLocalFunctions", 1),
            ">:t:" + S + "Members.WithLocalFunctions::",
            ">:t:" + S + "Members.WithLocalFunctions.Traced:y=1:",
            "<:t:" + S + "Members.WithLocalFunctions.Traced:return=2:",
            ">:t:" + S + "Members.WithLocalFunctions.Capturing::",
            "<:t:" + S + "Members.WithLocalFunctions.Capturing::",
            "<:t:" + S + "Members.WithLocalFunctions::");
        yield return Case("Lambdas", t => Target.Call(t.New("Shapes.Members"), "WithLambdas", 2),
            ">:t:" + S + "Members.WithLambdas::",
            ">:t:" + S + "Members.WithLambdas.lambda_1:y=2:",
            "<:t:" + S + "Members.WithLambdas.lambda_1::",
            "<:t:" + S + "Members.WithLambdas::");
        // Members.AsyncMethod, Iterator and AsyncIterator are woven since issue 4: their tracers carry fresh numeric ids
        // and the async exits are written on other threads, so Tests/Async checks them.

        // Tags and [NoTrace]
        yield return Case("Type tag", t => Target.Call(t.New("Shapes.Tagged"), "Listed"),
            ">:t:catalog.ctor::",
            "<:t:catalog.ctor::",
            ">:t:catalog.Listed::",
            "<:t:catalog.Listed::");
        yield return Case("[NoTrace] method in traced type", t => Target.Call(t.New("Shapes.Tagged"), "Hidden"),
            ">:t:catalog.ctor::",
            "<:t:catalog.ctor::");
        yield return Case("Method tag", t => Target.Call(t.New("Shapes.Tagged"), "Special"),
            ">:t:catalog.ctor::",
            "<:t:catalog.ctor::",
            ">:t:catalog.special.item::",
            "<:t:catalog.special.item::");
        yield return Case("Nested type under type tag", t => Target.Call(t.New("Shapes.Tagged+Nested"), "Deep"),
            ">:t:catalog.Nested.ctor::",
            "<:t:catalog.Nested.ctor::",
            ">:t:catalog.Nested.Deep::",
            "<:t:catalog.Nested.Deep::");
        yield return Case("[NoTrace] nested type", t => Target.Call(t.New("Shapes.Tagged+Nested+Silent"), "Quiet"));
        yield return Case("[Traced] method in [NoTrace] type", t => Target.Call(t.New("Shapes.Tagged+Nested+Silent"), "Loud"),
            ">:t:catalog.Nested.Silent.Loud::",
            "<:t:catalog.Nested.Silent.Loud::");
        yield return Case("Nested types", t => Target.Call(t.New("Shapes.Outer+Inner"), "Value"),
            ">:t:" + S + "Outer.Inner.ctor::",
            "<:t:" + S + "Outer.Inner.ctor::",
            ">:t:" + S + "Outer.Inner.Value::",
            "<:t:" + S + "Outer.Inner.Value::");
        yield return Case("Record in nested type", t => Target.Call(t.New("Shapes.Outer+Inner+Data", 3), "Twice"),
            ">:t:" + S + "Outer.Inner.Data.ctor::",
            "<:t:" + S + "Outer.Inner.Data.ctor::",
            ">:t:" + S + "Outer.Inner.Data.Twice::",
            ">:t:" + S + "Outer.Inner.Data.get_Number::",
            "<:t:" + S + "Outer.Inner.Data.get_Number::",
            "<:t:" + S + "Outer.Inner.Data.Twice::");
        yield return Case("Event raise (field-like event accessors are not traced)", t =>
            {
                var outer = t.New("Shapes.Outer");
                var raised = 0;
                outer.GetType().GetEvent("Changed")!.AddEventHandler(outer, new EventHandler((_, _) => raised++));
                Target.Call(outer, "Raise");
                return raised;
            },
            ">:t:" + S + "Outer.ctor::",
            "<:t:" + S + "Outer.ctor::",
            ">:t:" + S + "Outer.Raise::",
            "<:t:" + S + "Outer.Raise::");

        // Namespace rules (main configuration: Rules* included, Rules.Excluded excluded, options on)
        yield return Case("Rules: selected type", t =>
            {
                var selected = t.New("Rules.Selected", 1);
                Target.Call(selected, "Add", 2);
                Target.Call(selected, "Skipped");
                return selected.ToString();
            },
            ">:t:AssemblyToProcess.Rules.Selected.ctor:start=1:",
            ">:t:AssemblyToProcess.Rules.Selected.set_Value:value=1:",
            "<:t:AssemblyToProcess.Rules.Selected.set_Value::",
            "<:t:AssemblyToProcess.Rules.Selected.ctor::",
            ">:t:AssemblyToProcess.Rules.Selected.Add:amount=2:",
            ">:t:AssemblyToProcess.Rules.Selected.get_Value::",
            "<:t:AssemblyToProcess.Rules.Selected.get_Value:return=1:",
            ">:t:AssemblyToProcess.Rules.Selected.set_Value:value=3:",
            "<:t:AssemblyToProcess.Rules.Selected.set_Value::",
            "<:t:AssemblyToProcess.Rules.Selected.Add:return=3:",
            ">:t:AssemblyToProcess.Rules.Selected.get_Value::",
            "<:t:AssemblyToProcess.Rules.Selected.get_Value:return=3:",
            ">:t:AssemblyToProcess.Rules.Selected.ToString::",
            ">:t:AssemblyToProcess.Rules.Selected.get_Value::",
            "<:t:AssemblyToProcess.Rules.Selected.get_Value:return=3:",
            "<:t:AssemblyToProcess.Rules.Selected.ToString:return=selected 3:");
        yield return Case("Rules: sub-namespace", t => t.Static("Rules.Sub.Below", "Run", 1),
            ">:t:AssemblyToProcess.Rules.Sub.Below.Run:x=1:",
            "<:t:AssemblyToProcess.Rules.Sub.Below.Run:return=101:");
        yield return Case("Rules: excluded namespace", t => t.Static("Rules.Excluded.Left", "Out", 1));
        yield return Case("Rules: [Traced] wins over exclusion", t => t.Static("Rules.Excluded.Left", "ForcedIn", 1),
            ">:t:AssemblyToProcess.Rules.Excluded.Left.ForcedIn::",
            "<:t:AssemblyToProcess.Rules.Excluded.Left.ForcedIn::");
        yield return Case("Rules: sibling namespace", t => t.Static("RulesSibling.Sibling", "Run", 1));
    }

    static TestCaseData Case(string name, Func<Target, object?> call, params string[] tracers) =>
        new TestCaseData(call, tracers).SetName(name);
}
