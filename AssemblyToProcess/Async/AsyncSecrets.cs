using System;
using System.Threading.Tasks;
using SysdigTracers;

namespace AssemblyToProcess.Async;

/// <summary>
/// Async methods whose names, without their trailing <c>Async</c>, say that their result is a secret: the result is
/// written as <c>&lt;redacted&gt;</c>; and one whose name only holds a secret word inside another word.
/// </summary>
public static class AsyncSecrets
{
    [Traced(Arguments = true, ReturnValue = true)]
    public static async Task<string> GetPasswordAsync(string user, [NoTrace] Task gate)
    {
        await gate;
        return "password-of-" + user;
    }

    [Traced(ReturnValue = true)]
    public static async ValueTask<string> ReadConnectionStringAsync(Task<string> gate)
    {
        var server = await gate;
        return "Server=" + server + ";Password=hunter2";
    }

    [Traced(Arguments = true, ReturnValue = true)]
    public static async Task<string> GetTokenAsync(int user, [NoTrace] Task gate)
    {
        await gate;
        if (user < 0)
        {
            throw new UnauthorizedAccessException("no token for " + user);
        }

        return "token-" + user;
    }

    [Traced(Arguments = true, ReturnValue = true)]
    public static async Task<T> ReadSecretAsync<T>(T value, [NoTrace] Task gate)
    {
        await gate;
        return value;
    }

    [Traced(Arguments = true, ReturnValue = true)]
    public static async Task<string> TokenizeAsync(string text, [NoTrace] Task gate)
    {
        await gate;
        return text.Replace(' ', '|');
    }
}
