using System.Linq;
using System.Reflection;
using NUnit.Framework;
using Tests.Activities;

namespace Tests.Weaving;

/// <summary>
/// What woven code writes for a value: well-known value-like types as text, anything else as its type name unless
/// <c>CallToString</c> allows its <c>ToString()</c>; secret-named parameters redacted; cancellation tokens left out.
/// Each case runs the woven assembly and, where behaviour could differ, the plain one; the Activity tags follow the
/// same rules as the sysdig arguments.
/// </summary>
[NonParallelizable]
public class ValuePolicyTests
{
    const string RegistrySource = @"
using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
namespace Repro
{
    public class Registry
    {
        private readonly Dictionary<string, int> _ids = new();
        public int Lookup(string name) { if (!_ids.TryGetValue(name, out var id)) _ids[name] = id = _ids.Count; return id; }
        public int Count => _ids.Count;
        public override string ToString() => $""Registry(current={Lookup(""current"")})"";
    }
    public class Config { public Config(Registry registry) { } }
    public enum Mode { Fast, Safe }
    public record Person(string Name, string Email);
    public static class Values
    {
        public static int Count(Registry registry) => registry.Count;
        public static string WellKnown(int i, double d, bool b, char c, string s, Mode m, Guid g, DateTime t, TimeSpan span,
            decimal money, Uri uri, int? some, int? none, object boxed, DateOnly day) => s;
        public static Person Echo(Person person) => person;
        public static int Login(string user, string password, string apiKey, string api_key, string accessToken,
            string connectionString, string tokenizer, string pin) => user.Length;
        public static async Task<int> LoginAsync(string user, string Password, CancellationToken ct)
        {
            await Task.Yield();
            return user.Length;
        }
        public static IEnumerable<int> Secrets(string clientSecret, int n) { for (var i = 0; i < n; i++) yield return i; }
        public static int Wait(int n, CancellationToken cancellationToken) => n;
        public static string IssuePin(string user) => ""1234"";
        public static async Task<string> IssuePinAsync(string user)
        {
            await Task.Yield();
            return ""5678"";
        }
        public static T Generic<T>(T value) => value;
        public static async IAsyncEnumerable<int> Stream(string apiToken, Person person)
        {
            await Task.Yield();
            yield return apiToken.Length;
        }
    }
    public class Account
    {
        public string Password { get; set; } = """";
        public string Name { get; set; } = """";
    }
    public static class Opted
    {
        [SysdigTracers.Traced(Arguments = true, ReturnValue = true, CallToString = true)]
        public static Person Echo(Person person) => person;
    }
}";

    static Assembly Woven(string folder, string config) =>
        WeavingFixture.WeaveFile(SnippetCompiler.CompileToFile(RegistrySource, "ValuePolicy_" + folder), folder, config).Assembly;

    static readonly System.Lazy<Assembly> DefaultOnce = new(() => Woven(
        "value-policy",
        "<SysdigTracers IncludeNamespaces='Repro' TraceConstructors='true' Arguments='true' ReturnValue='true' TraceTrivialMethods='true' />"));

    static Assembly Default => DefaultOnce.Value;

    static readonly System.Lazy<Assembly> ExtendedOnce = new(() => Woven(
        "value-policy-redact",
        "<SysdigTracers IncludeNamespaces='Repro' Arguments='true' ReturnValue='true' TraceTrivialMethods='true' RedactParameters='pin|user' />"));

    /// <summary>Woven with <c>RedactParameters</c>, which adds words to the secret names.</summary>
    static Assembly Extended => ExtendedOnce.Value;

    static object? Run(Assembly assembly, string type, string method, params object?[] args) =>
        assembly.GetType("Repro." + type)!.GetMethod(method)!.Invoke(null, args);

    [Test]
    public void ToStringWithASideEffectIsNotCalledByDefault()
    {
        var plain = SnippetCompiler.CompileToFile(RegistrySource, "ValuePolicy_plain");
        var plainAssembly = Assembly.LoadFrom(plain);
        var woven = Default;

        int CountAfterConfig(Assembly assembly, out System.Collections.Generic.IReadOnlyList<string> tracers)
        {
            object? registry = null;
            tracers = WeavingFixture.Observe(() =>
            {
                registry = Target.New(assembly.GetType("Repro.Registry")!);
                return Target.New(assembly.GetType("Repro.Config")!, registry);
            }).Tracers;
            return (int)Run(assembly, "Values", "Count", registry)!;
        }

        Assert.That(CountAfterConfig(plainAssembly, out _), Is.EqualTo(0));
        Assert.That(CountAfterConfig(woven, out var tracers), Is.EqualTo(0), "woven: the registry's ToString never ran");
        Assert.That(tracers, Does.Contain(">:t:Repro.Config.ctor:registry=Repro.Registry:"));

        using var capture = new SpanCapture();
        Assert.That(CountAfterConfig(woven, out _), Is.EqualTo(0), "woven and listened to: the registry's ToString never ran");
        Assert.That(capture.Spans.Single(s => s.DisplayName == "Config.ctor").GetTagItem("registry"), Is.EqualTo("Repro.Registry"));
    }

    [Test]
    public void WellKnownValuesAreWrittenAsText()
    {
        var assembly = Default;
        var tracers = WeavingFixture.Observe(() => Run(assembly, "Values", "WellKnown",
            1, 2.5, true, 'x', "s", System.Enum.ToObject(assembly.GetType("Repro.Mode")!, 1), System.Guid.Empty, new System.DateTime(2024, 5, 6, 7, 8, 9, System.DateTimeKind.Utc),
            System.TimeSpan.FromSeconds(90), 1.25m, new System.Uri("https://example.org/a"), 7, null, 42,
            new System.DateOnly(2024, 5, 6))).Tracers;
        Assert.That(tracers[0], Is.EqualTo(
            ">:t:Repro.Values.WellKnown:i=1,d=2.5,b=true,c=x,s=s,m=Safe,g=00000000-0000-0000-0000-000000000000," +
            @"t=2024-05-06T07\:08\:09.0000000Z,span=00\:01\:30,money=1.25,uri=https\://example.org/a,some=7,none=null," +
            "boxed=42,day=2024-05-06:"));
    }

    [Test]
    public void GenericsAndAsyncIteratorsFollowThePolicy()
    {
        var assembly = Default;
        var person = Target.New(assembly.GetType("Repro.Person")!, "Ann", "ann@example.org");
        var values = assembly.GetType("Repro.Values")!;
        var generic = WeavingFixture.Observe(() => values.GetMethod("Generic")!.MakeGenericMethod(person.GetType()).Invoke(null, new[] { person }));
        Assert.That(generic.Tracers, Is.EqualTo(new[]
        {
            ">:t:Repro.Values.Generic:value=Repro.Person:",
            "<:t:Repro.Values.Generic:return=Repro.Person:",
        }));
        Assert.That(WeavingFixture.Observe(() => values.GetMethod("Generic")!.MakeGenericMethod(typeof(int)).Invoke(null, new object[] { 5 })).Tracers,
            Is.EqualTo(new[] { ">:t:Repro.Values.Generic:value=5:", "<:t:Repro.Values.Generic:return=5:" }));

        var stream = WeavingFixture.Observe(() =>
        {
            var enumerator = ((System.Collections.Generic.IAsyncEnumerable<int>)Run(assembly, "Values", "Stream", "s3cr3t", person)!).GetAsyncEnumerator();
            var first = enumerator.MoveNextAsync().AsTask().Result ? enumerator.Current : -1;
            enumerator.DisposeAsync().AsTask().Wait();
            return first;
        });
        Assert.That(stream.Result, Is.EqualTo("6"));
        Assert.That(stream.Tracers[0], Does.Match(@"^>:\d+:Repro\.Values\.Stream:apiToken=<redacted>,person=Repro\.Person:$"));
        Assert.That(string.Join("\n", stream.Tracers), Does.Not.Contain("s3cr3t").And.Not.Contain("Ann"));
    }

    [Test]
    public void ActivityTagsFollowTheSamePolicy()
    {
        var assembly = Default;
        var person = Target.New(assembly.GetType("Repro.Person")!, "Ann", "ann@example.org");
        using var capture = new SpanCapture();
        Run(assembly, "Values", "Echo", person);
        Run(assembly, "Opted", "Echo", person);
        Run(assembly, "Values", "Login", "ann", "hunter2", "k1", "k2", "t1", "c", "lexer", "1234");
        Run(assembly, "Values", "Wait", 5, System.Threading.CancellationToken.None);

        var spans = capture.Spans;
        var echo = spans.Single(s => s.DisplayName == "Values.Echo");
        Assert.That(echo.GetTagItem("person"), Is.EqualTo("Repro.Person"));
        Assert.That(echo.GetTagItem("return"), Is.EqualTo("Repro.Person"));
        var opted = spans.Single(s => s.DisplayName == "Opted.Echo");
        Assert.That(opted.GetTagItem("person"), Is.EqualTo("Person { Name = Ann, Email = ann@example.org }"), "[Traced(CallToString = true)]");
        var login = spans.Single(s => s.DisplayName == "Values.Login");
        Assert.That(login.GetTagItem("user"), Is.EqualTo("ann"));
        Assert.That(login.GetTagItem("password"), Is.EqualTo("<redacted>"));
        Assert.That(login.GetTagItem("accessToken"), Is.EqualTo("<redacted>"));
        Assert.That(login.GetTagItem("tokenizer"), Is.EqualTo("lexer"));
        Assert.That(string.Join(",", login.TagObjects.Select(t => t.Value)), Does.Not.Contain("hunter2"));
        var wait = spans.Single(s => s.DisplayName == "Values.Wait");
        Assert.That(wait.TagObjects.Select(t => t.Key), Has.Member("n").And.No.Member("cancellationToken"));
    }

    [Test]
    public void OtherObjectsAreWrittenAsTheirTypeNameUnlessCallToStringAllowsIt()
    {
        var assembly = Default;
        var person = Target.New(assembly.GetType("Repro.Person")!, "Ann", "ann@example.org");
        Assert.That(WeavingFixture.Observe(() => Run(assembly, "Values", "Echo", person)).Tracers, Is.EqualTo(new[]
        {
            ">:t:Repro.Values.Echo:person=Repro.Person:",
            "<:t:Repro.Values.Echo:return=Repro.Person:",
        }));
        Assert.That(WeavingFixture.Observe(() => Run(assembly, "Opted", "Echo", person)).Tracers, Is.EqualTo(new[]
        {
            @">:t:Repro.Opted.Echo:person=Person { Name \= Ann\, Email \= ann@example.org }:",
            @"<:t:Repro.Opted.Echo:return=Person { Name \= Ann\, Email \= ann@example.org }:",
        }), "[Traced(CallToString = true)]");

        var everywhere = Woven("value-policy-tostring", "<SysdigTracers IncludeNamespaces='Repro' Arguments='true' CallToString='true' TraceTrivialMethods='true' />");
        var other = Target.New(everywhere.GetType("Repro.Person")!, "Bo", "bo@example.org");
        Assert.That(WeavingFixture.Observe(() => Run(everywhere, "Values", "Echo", other)).Tracers[0],
            Is.EqualTo(@">:t:Repro.Values.Echo:person=Person { Name \= Bo\, Email \= bo@example.org }:"), "CallToString in FodyWeavers.xml");
    }

    [Test]
    public void SecretNamedParametersAreRedacted()
    {
        var tracers = WeavingFixture.Observe(() => Run(Default, "Values", "Login",
            "ann", "hunter2", "k1", "k2", "t1", "Server=db;Password=p", "lexer", "1234")).Tracers;
        Assert.That(tracers[0], Is.EqualTo(
            ">:t:Repro.Values.Login:user=ann,password=<redacted>,apiKey=<redacted>,api_key=<redacted>," +
            "accessToken=<redacted>,connectionString=<redacted>,tokenizer=lexer,pin=1234:"));

        Assert.That(WeavingFixture.Observe(() => Run(Extended, "Values", "Login",
            "ann", "hunter2", "k1", "k2", "t1", "c", "lexer", "1234")).Tracers[0], Is.EqualTo(
            ">:t:Repro.Values.Login:user=<redacted>,password=<redacted>,apiKey=<redacted>,api_key=<redacted>," +
            "accessToken=<redacted>,connectionString=<redacted>,tokenizer=lexer,pin=<redacted>:"));
    }

    [Test]
    public void ResultsOfMethodsNamedWithRedactParametersWordsAreRedacted()
    {
        Assert.That(WeavingFixture.Observe(() => Run(Default, "Values", "IssuePin", "ann")).Tracers, Is.EqualTo(new[]
        {
            ">:t:Repro.Values.IssuePin:user=ann:", "<:t:Repro.Values.IssuePin:return=1234:",
        }), "pin is no built-in word");

        using var capture = new SpanCapture();
        var plain = WeavingFixture.Observe(() => Run(Extended, "Values", "IssuePin", "ann"));
        var async = WeavingFixture.Observe(() => ((System.Threading.Tasks.Task<string>)Run(Extended, "Values", "IssuePinAsync", "ann")!).Result);
        Assert.That(plain.Result, Is.EqualTo("\"1234\""));
        Assert.That(plain.Tracers, Is.EqualTo(new[]
        {
            ">:t:Repro.Values.IssuePin:user=<redacted>:", "<:t:Repro.Values.IssuePin:return=<redacted>:",
        }));
        Assert.That(async.Result, Is.EqualTo("\"5678\""));
        Assert.That(async.Tracers, Has.Count.EqualTo(2));
        Assert.That(async.Tracers[1], Does.Match(@"^<:\d+:Repro\.Values\.IssuePinAsync:return=<redacted>:$"));
        var spans = capture.Spans;
        Assert.That(spans.Single(s => s.DisplayName == "Values.IssuePin").GetTagItem("return"), Is.EqualTo("<redacted>"));
        Assert.That(spans.Single(s => s.DisplayName == "Values.IssuePinAsync").GetTagItem("return"), Is.EqualTo("<redacted>"));
    }

    [Test]
    public void SecretNamedPropertiesAreRedactedInTheSetterAndTheGetter()
    {
        var assembly = Woven("value-policy-properties",
            "<SysdigTracers IncludeNamespaces='Repro' TraceProperties='true' Arguments='true' ReturnValue='true' TraceTrivialMethods='true' />");
        var type = assembly.GetType("Repro.Account")!;
        var account = System.Activator.CreateInstance(type)!;
        var password = type.GetProperty("Password")!;
        var name = type.GetProperty("Name")!;
        using var capture = new SpanCapture();
        var outcome = WeavingFixture.Observe(() =>
        {
            password.SetValue(account, "hunter2");
            name.SetValue(account, "ann");
            return (string)password.GetValue(account)! + name.GetValue(account);
        });

        Assert.That(outcome.Result, Is.EqualTo("\"hunter2ann\""));
        Assert.That(outcome.Tracers, Is.EqualTo(new[]
        {
            ">:t:Repro.Account.set_Password:value=<redacted>:", "<:t:Repro.Account.set_Password::",
            ">:t:Repro.Account.set_Name:value=ann:", "<:t:Repro.Account.set_Name::",
            ">:t:Repro.Account.get_Password::", "<:t:Repro.Account.get_Password:return=<redacted>:",
            ">:t:Repro.Account.get_Name::", "<:t:Repro.Account.get_Name:return=ann:",
        }));
        var spans = capture.Spans;
        Assert.That(spans.Single(s => s.DisplayName == "Account.set_Password").GetTagItem("value"), Is.EqualTo("<redacted>"));
        Assert.That(spans.Single(s => s.DisplayName == "Account.get_Password").GetTagItem("return"), Is.EqualTo("<redacted>"));
        Assert.That(spans.Single(s => s.DisplayName == "Account.get_Name").GetTagItem("return"), Is.EqualTo("ann"));
    }

    [Test]
    public void SecretsInStateMachinesAreRedactedAndCancellationTokensLeftOut()
    {
        var assembly = Default;
        var async = WeavingFixture.Observe(() =>
            ((System.Threading.Tasks.Task<int>)Run(assembly, "Values", "LoginAsync", "ann", "hunter2", System.Threading.CancellationToken.None)!).Result);
        Assert.That(async.Result, Is.EqualTo("3"));
        Assert.That(async.Tracers[0], Does.Match(@"^>:\d+:Repro\.Values\.LoginAsync:user=ann,Password=<redacted>:$"));

        var iterator = WeavingFixture.Observe(() =>
            ((System.Collections.Generic.IEnumerable<int>)Run(assembly, "Values", "Secrets", "s3cr3t", 2)!).Sum());
        Assert.That(iterator.Result, Is.EqualTo("1"));
        Assert.That(iterator.Tracers[0], Does.Match(@"^>:\d+:Repro\.Values\.Secrets:clientSecret=<redacted>,n=2:$"));
        Assert.That(string.Join("\n", iterator.Tracers), Does.Not.Contain("s3cr3t"));

        Assert.That(WeavingFixture.Observe(() => Run(assembly, "Values", "Wait", 5, System.Threading.CancellationToken.None)).Tracers,
            Is.EqualTo(new[] { ">:t:Repro.Values.Wait:n=5:", "<:t:Repro.Values.Wait:return=5:" }));
    }
}
