using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Reflection;
using System.Xml.Linq;
using Fody;
using Mono.Cecil;
using NUnit.Framework;
using SysdigTracers.Fody;

namespace Tests.Weaving;

/// <summary>
/// Shared helpers for weaving tests: weaves AssemblyToProcess once per configuration (cached, each in its own
/// fodytemp folder, with symbols so stack traces keep line numbers) and records the tracers written by the code
/// a test runs (a TracerRecording).
/// </summary>
public static class WeavingFixture
{
    /// <summary>
    /// The main configuration the shape tests use. It weaves trivial methods and writes values with their
    /// <c>ToString()</c>, so that every shape is woven and its values are visible (the defaults of those two options
    /// have their own tests, ValuePolicyTests and TrivialMethodTests), and sets no ceiling on the assembly's spans per
    /// second, so that a test sees every span however many the tests before it wrote in the same second (the ceiling
    /// has its own tests, AssemblyCeilingWeavingTests).
    /// </summary>
    public const string MainConfig =
        "<SysdigTracers IncludeNamespaces='AssemblyToProcess.Rules*' ExcludeNamespaces='AssemblyToProcess.Rules.Excluded' " +
        "TraceConstructors='true' TraceProperties='true' Arguments='true' ReturnValue='true' TraceTrivialMethods='true' CallToString='true' " +
        "MaxAssemblySpansPerSecond='0' />";

    /// <summary>
    /// Every method selected: all namespaces, constructors, accessors (trivial ones too), arguments and return values,
    /// and every span written (no ceiling on the assembly's spans per second).
    /// </summary>
    public const string EverythingConfig =
        "<SysdigTracers IncludeNamespaces='*' Arguments='true' ReturnValue='true' TraceConstructors='true' TraceProperties='true' " +
        "TraceTrivialMethods='true' CallToString='true' MaxAssemblySpansPerSecond='0' />";

    static readonly ConcurrentDictionary<string, Lazy<TestResult>> Runs = new();

    /// <summary>Full path of the unwoven AssemblyToProcess.dll next to the tests.</summary>
    public static string AssemblyToProcessPath => Path.Combine(TestContext.CurrentContext.TestDirectory, "AssemblyToProcess.dll");

    /// <summary>The unwoven AssemblyToProcess, as the test project references it.</summary>
    public static Assembly Unwoven => typeof(AssemblyToProcess.Shapes.Plain).Assembly;

    /// <summary>AssemblyToProcess woven with <see cref="MainConfig"/>.</summary>
    public static TestResult Main => Weave("main", MainConfig);

    /// <summary>Weaves AssemblyToProcess with the given <c>&lt;SysdigTracers&gt;</c> element, once per folder name.</summary>
    public static TestResult Weave(string folderName, string config) =>
        Runs.GetOrAdd(folderName, _ => new Lazy<TestResult>(() => WeaveFile(AssemblyToProcessPath, folderName, config))).Value;

    /// <summary>Weaves any assembly file (no caching).</summary>
    public static TestResult WeaveFile(string path, string folderName, string? config)
    {
        var weaver = new ModuleWeaver { Config = config == null ? null! : XElement.Parse(config) };
        return weaver.ExecuteTestRun(path, runPeVerify: false, writeSymbols: true, folderName: folderName);
    }

    /// <summary>
    /// Weaves a file whose weaving may report build errors. The weaver then refuses to let the module be written
    /// (it throws a <see cref="WeavingException"/> after reporting), so the messages are captured as reported.
    /// <paramref name="beforeWeaving"/> may change the module as read, before the weaver sees it.
    /// </summary>
    public static Reported WeaveReporting(string path, string folderName, string? config, Action<ModuleDefinition>? beforeWeaving = null)
    {
        var errors = new List<Message>();
        var warnings = new List<Message>();
        var infos = new List<string>();
        var weaver = new ModuleWeaver { Config = config == null ? null! : XElement.Parse(config) };
        try
        {
            weaver.ExecuteTestRun(path, runPeVerify: false, writeSymbols: true, folderName: folderName,
                beforeExecuteCallback: module =>
                {
                    beforeWeaving?.Invoke(module);
                    CaptureMessages(weaver, errors, warnings, infos);
                });
            return new Reported(errors, warnings, infos, null);
        }
        catch (WeavingException refusal)
        {
            return new Reported(errors, warnings, infos, refusal);
        }
    }

    // ExecuteTestRun returns no result when Execute throws; the obsolete Log*Point delegates are what WriteError and
    // WriteWarning report through (LogMessage what WriteMessage does), and the one place a test can listen before that.
#pragma warning disable CS0618
    static void CaptureMessages(ModuleWeaver weaver, List<Message> errors, List<Message> warnings, List<string> infos)
    {
        var writeError = weaver.LogErrorPoint;
        var writeWarning = weaver.LogWarningPoint;
        var writeMessage = weaver.LogMessage;
        weaver.LogMessage = (text, importance) =>
        {
            infos.Add(text);
            writeMessage(text, importance);
        };
        weaver.LogErrorPoint = (text, point) =>
        {
            errors.Add(new Message(text, point));
            writeError(text, point);
        };
        weaver.LogWarningPoint = (text, point) =>
        {
            warnings.Add(new Message(text, point));
            writeWarning(text, point);
        };
    }
#pragma warning restore CS0618

    /// <summary>Runs <paramref name="action"/> and returns what it did: result, exception and tracers.</summary>
    public static Outcome Observe(Func<object?> action)
    {
        object? result = null;
        Exception? exception = null;
        IReadOnlyList<string> tracers;
        using (var recording = SysdigTracers.TracerRecording.Start())
        {
            try
            {
                result = action();
            }
            catch (Exception e)
            {
                exception = e;
            }

            tracers = recording.Tracers;
        }

        // Described after the recording: a woven ToString would otherwise add its own tracers.
        return new Outcome(Describe(result), exception, tracers);
    }

    /// <summary>A value as comparable text (objects of either assembly through their ToString).</summary>
    public static string Describe(object? value) => value switch
    {
        null => "null",
        string s => "\"" + s + "\"",
        object?[] array => "[" + string.Join(", ", array.Select(Describe)) + "]",
        _ => value.ToString() ?? "",
    };
}

/// <summary>What one call did.</summary>
public sealed record Outcome(string Result, Exception? Exception, IReadOnlyList<string> Tracers)
{
    /// <summary>Frames of the exception's stack trace inside AssemblyToProcess: method and line.</summary>
    public IReadOnlyList<string> ExceptionFrames => Exception == null
        ? Array.Empty<string>()
        : new System.Diagnostics.StackTrace(Exception, true).GetFrames()
            .Where(f => f.GetMethod()?.DeclaringType?.Assembly.GetName().Name == "AssemblyToProcess")
            .Select(f => $"{f.GetMethod()!.DeclaringType!.Name}.{f.GetMethod()!.Name}:{f.GetFileLineNumber()}")
            .ToList();
}

/// <summary>What the weaver reported for one weave, and the exception by which it refused to write a module with errors.</summary>
public sealed record Reported(IReadOnlyList<Message> Errors, IReadOnlyList<Message> Warnings, IReadOnlyList<string> Infos, WeavingException? Refusal);

/// <summary>One build message and where it points.</summary>
public sealed record Message(string Text, Mono.Cecil.Cil.SequencePoint? SequencePoint);

/// <summary>Reflection access to the types of one copy (woven or not) of AssemblyToProcess.</summary>
public sealed class Target
{
    const BindingFlags All = BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Static | BindingFlags.Instance |
                             BindingFlags.DoNotWrapExceptions;

    public Target(Assembly assembly) => Assembly = assembly;

    public Assembly Assembly { get; }

    public Type Type(string name) => Assembly.GetType("AssemblyToProcess." + name, throwOnError: true)!;

    public object New(string type, params object?[] args) => New(Type(type), args);

    public static object New(Type type, params object?[] args) =>
        Activator.CreateInstance(type, All, null, args, null)!;

    public object? Static(string type, string method, params object?[] args) => Invoke(Type(type), null, method, null, args);

    public object? StaticGeneric(string type, string method, Type[] typeArguments, params object?[] args) =>
        Invoke(Type(type), null, method, typeArguments, args);

    public static object? Call(object instance, string method, params object?[] args) =>
        Invoke(instance.GetType(), instance, method, null, args);

    public static object? CallGeneric(object instance, string method, Type[] typeArguments, params object?[] args) =>
        Invoke(instance.GetType(), instance, method, typeArguments, args);

    public static object? Get(object instance, string property) =>
        instance.GetType().GetProperty(property, All)!.GetValue(instance, All, null, null, null);

    public static void Set(object instance, string property, object? value) =>
        instance.GetType().GetProperty(property, All)!.SetValue(instance, value, All, null, null, null);

    static object? Invoke(Type type, object? instance, string name, Type[]? typeArguments, object?[] args)
    {
        var method = type.GetMethods(All)
            .Single(m => m.Name == name && m.GetParameters().Length == args.Length &&
                         m.IsGenericMethodDefinition == (typeArguments != null));
        if (typeArguments != null)
        {
            method = method.MakeGenericMethod(typeArguments);
        }

        return method.Invoke(instance, All, null, args, null);
    }
}
