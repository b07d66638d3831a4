using System;
using System.Threading.Tasks;
using SysdigTracers;

namespace AssemblyToProcess.Shapes;

/// <summary>A store whose interface's name holds a secret word: only each method's own name counts.</summary>
/// <remarks>
/// It has a member with a body: the compiler gives an interface without code a type definition documents record in
/// the PDB, which Cecil (every Fody add-in) writes twice, and PdbRecordTests compares every record.
/// </remarks>
public interface ICredentialStore
{
    string Describe();

    string GetToken();

    string Kind() => "credentials";
}

/// <summary>
/// Methods whose names say they return a secret (their return value is written as <c>&lt;redacted&gt;</c>) and methods
/// whose names only hold a secret word inside another word (written in clear).
/// </summary>
[Traced(Arguments = true, ReturnValue = true)]
public class SecretResults : ICredentialStore
{
    readonly string[] tokens = { "token-0", "token-1" };

    public static string GetAccessToken(string user)
    {
        if (user.Length == 0)
        {
            throw new ArgumentException("no user", nameof(user));
        }

        return "token-for-" + user;
    }

    public static string CreateApiKey(int length) => new string('k', length);

    public ref string RefreshToken(int index) => ref tokens[index];

    public static T ReadSecret<T>(T value) => value;

    public static ValueTask<string> FetchTokenAsync(string user) => new("token-for-" + user);

    public static string Tokenize(string text) => text.Replace(' ', '|');

    public static int TokenCount(string text) => text.Split(' ').Length;

    public static int IssuedLength(string user)
    {
        return IssueToken(user).Length;

        [Traced(Arguments = true, ReturnValue = true)]
        static string IssueToken(string who) => "token-for-" + who;
    }

    public static string GetClientSecret(string client)
    {
        Func<string, string> load = [Traced(ReturnValue = true)] (name) => "secret-of-" + name;
        return load(client);
    }

    string ICredentialStore.Describe() => "store";

    string ICredentialStore.GetToken() => tokens[0];
}
