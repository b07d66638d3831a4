using System;
using NUnit.Framework;
using SysdigTracers;
using SysdigTracers.Infrastructure;

namespace Tests.Runtime;

/// <summary>The entry points woven code calls.</summary>
public class MethodTracerTests
{
    [Test]
    public void Enter_and_exit_without_arguments()
    {
        using var capture = TracerRecording.Start();
        var method = new MethodTracer("App.Orders.Place");
        method.Enter();
        method.Exit(null);
        method.Enter(77);
        method.Exit(77, null);
        Assert.That(capture.Tracers, Is.EqualTo(new[]
        {
            ">:t:App.Orders.Place::", "<:t:App.Orders.Place::", ">:77:App.Orders.Place::", "<:77:App.Orders.Place::",
        }));
    }

    [Test]
    public void Exceptions_become_the_exception_argument()
    {
        using var capture = TracerRecording.Start();
        var method = new MethodTracer("m");
        method.Exit(new InvalidOperationException());
        method.Exit(5, new ArgumentException());
        method.ExitWithReturn(0, new FormatException(), 3);
        Assert.That(capture.Tracers, Is.EqualTo(new[]
        {
            "<:t:m:exception=System.InvalidOperationException:",
            "<:5:m:exception=System.ArgumentException:",
            "<:t:m:exception=System.FormatException:",
        }));
    }

    [Test]
    public void Nested_exception_type_names_are_escaped()
    {
        using var capture = TracerRecording.Start();
        new MethodTracer("m").Exit(new Outer<int>.InnerException());
        ParsedTracer parsed = capture.Single();
        Assert.That(parsed.Args[0].Value, Is.EqualTo(typeof(Outer<int>.InnerException).FullName));
    }

    [Test]
    public void Return_values()
    {
        using var capture = TracerRecording.Start();
        var method = new MethodTracer("m");
        method.ExitWithReturn(0, null, 42);
        method.ExitWithReturn(9, null, "a:b");
        method.ExitWithReturn<string?>(0, null, null);
        method.ExitWithReturn(0, null, false);
        Assert.That(capture.Tracers, Is.EqualTo(new[]
        {
            "<:t:m:return=42:", "<:9:m:return=a\\:b:", "<:t:m:return=null:", "<:t:m:return=false:",
        }));
    }

    [Test]
    public void Arguments_follow_the_names_in_order()
    {
        using var capture = TracerRecording.Start();
        var method = new MethodTracer("m", new[] { "id", "name", "flag" });
        TracerArgs args = method.BeginEnter(3);
        args.Add(1L);
        args.Add("x");
        args.Add(true);
        args.Write();
        Assert.That(capture.Tracers, Is.EqualTo(new[] { ">:3:m:id=1,name=x,flag=true:" }));
    }

    [Test]
    public void Extra_arguments_are_ignored_and_missing_ones_omitted()
    {
        using var capture = TracerRecording.Start();
        var method = new MethodTracer("m", new[] { "a" });
        TracerArgs args = method.BeginEnter(0);
        args.Add(1);
        args.Add(2);
        args.Write();
        TracerArgs none = new MethodTracer("n", new[] { "a", "b" }).BeginEnter(0);
        none.Write();
        Assert.That(capture.Tracers, Is.EqualTo(new[] { ">:t:m:a=1:", ">:t:n::" }));
    }

    [Test]
    public void Write_twice_and_default_args_write_nothing_more()
    {
        using var capture = TracerRecording.Start();
        TracerArgs args = new MethodTracer("m", new[] { "a" }).BeginEnter(0);
        args.Add(1);
        args.Write();
        args.Write();
        args.Add(2);
        TracerArgs empty = default;
        empty.Add(1);
        empty.Write();
        Assert.That(capture.Tracers, Is.EqualTo(new[] { ">:t:m:a=1:" }));
    }

    /// <summary>A method tracer with the <c>CallToString</c> option, as the weaver creates it for such a method.</summary>
    static MethodTracer CallingToString(string tag, string[]? argumentNames) =>
        new(tag, argumentNames, null, tag, null, null, 0, callToString: true);

    [Test]
    public void Other_objects_are_written_as_their_type_name_unless_ToString_is_allowed()
    {
        using var capture = TracerRecording.Start();
        var method = new MethodTracer("m", new[] { "a", "b", "c", "d", "e" });
        TracerArgs args = method.BeginEnter(0);
        args.Add(new Throwing());
        args.Add(new System.Collections.Generic.List<int> { 1 });
        args.Add<object>(7);
        args.Add<object>(new Uri("https://example.org/"));
        args.Add<DayOfWeek?>(DayOfWeek.Monday);
        args.Write();
        method.ExitWithReturn<TracedToString?>(0, null, new TracedToString());
        Assert.That(capture.Tracers, Is.EqualTo(new[]
        {
            ">:t:m:a=Tests.Runtime.MethodTracerTests+Throwing,b=System.Collections.Generic.List`1[System.Int32],c=7," +
            @"d=https\://example.org/,e=Monday:",
            "<:t:m:return=Tests.Runtime.MethodTracerTests+TracedToString:",
        }), "no ToString ran: TracedToString would have written its own tracers first");
    }

    [Test]
    public void Secret_arguments_are_written_redacted()
    {
        using var capture = TracerRecording.Start();
        TracerArgs args = new MethodTracer("m", new[] { "user", "password" }).BeginEnter(0);
        args.Add("ann");
        args.AddRedacted();
        args.Write();
        Assert.That(capture.Tracers, Is.EqualTo(new[] { ">:t:m:user=ann,password=<redacted>:" }));
    }

    [Test]
    public void Traced_ToString_inside_argument_formatting_is_safe()
    {
        using var capture = TracerRecording.Start();
        var outer = CallingToString("outer", new[] { "value", "after" });
        TracerArgs args = outer.BeginEnter(0);
        args.Add(new TracedToString());
        args.Add(5);
        args.Write();
        Assert.That(capture.Tracers, Is.EqualTo(new[]
        {
            ">:t:inner:x=1:",
            "<:t:inner:return=inner result:",
            ">:t:outer:value=inner result,after=5:",
        }));
    }

    [Test]
    public void Traced_ToString_of_a_return_value_is_safe()
    {
        using var capture = TracerRecording.Start();
        CallingToString("outer", null).ExitWithReturn(0, null, new TracedToString());
        Assert.That(capture.Tracers[2], Is.EqualTo("<:t:outer:return=inner result:"));
    }

    [Test]
    public void Throwing_ToString_never_reaches_the_caller()
    {
        using var capture = TracerRecording.Start();
        var method = CallingToString("m", new[] { "a" });
        TracerArgs args = method.BeginEnter(0);
        Assert.DoesNotThrow(() => args.Add(new Throwing()));
        args.Write();
        Assert.DoesNotThrow(() => method.ExitWithReturn(0, null, new Throwing()));
        Assert.That(capture.Tracers, Is.EqualTo(new[]
        {
            ">:t:m:a=<ToString threw System.NotSupportedException>:",
            "<:t:m:return=<ToString threw System.NotSupportedException>:",
        }));
    }

    [Test]
    public void Methods_write_even_when_tracing_was_disabled_in_between()
    {
        // Woven code checks Enabled once on entry; the exit of an entered method must still be written.
        using var capture = TracerRecording.Start();
        var method = new MethodTracer("m");
        method.Enter();
        Tracer.Enabled = false;
        method.Exit(null);
        Assert.That(capture.Tracers, Is.EqualTo(new[] { ">:t:m::", "<:t:m::" }));
    }

    [Test]
    public void Bad_constructor_input_is_tolerated()
    {
        using var capture = TracerRecording.Start();
        var method = new MethodTracer(null!, new string[] { null!, "" });
        TracerArgs args = method.BeginEnter(0);
        args.Add(1);
        args.Add(2);
        args.Write();
        Assert.That(capture.Tracers, Is.EqualTo(new[] { ">:t:_:_=1,_=2:" }));
    }

    private static class Outer<T>
    {
        public sealed class InnerException : Exception
        {
        }
    }

    private sealed class TracedToString
    {
        private static readonly MethodTracer Inner = new("inner", new[] { "x" });

        public override string ToString()
        {
            TracerArgs args = Inner.BeginEnter(0);
            args.Add(1);
            args.Write();
            const string result = "inner result";
            Inner.ExitWithReturn(0, null, result);
            return result;
        }
    }

    private sealed class Throwing
    {
        public override string ToString() => throw new NotSupportedException();
    }
}
