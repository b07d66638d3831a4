using System.Collections.Generic;
using System.Linq;
using System.Text;

namespace SysdigTracers.Fody.Configuration;

/// <summary>
/// Which names say that a parameter holds a secret, or that a method returns one (<c>GetAccessToken</c>). Names are
/// compared in lower case with <c>_</c> and <c>-</c> removed, so <c>apiKey</c>, <c>api_key</c> and <c>ApiKey</c> are the
/// same name. A name is a secret when it contains one of <see cref="ContainedWords"/> or an entry of
/// <c>RedactParameters</c>, or ends with one of <see cref="EndingWords"/> (short words that are only secrets at the
/// end: <c>accessToken</c>, not <c>tokenizer</c>).
/// </summary>
internal sealed class SecretNames
{
    /// <summary>Words that make any name containing them a secret.</summary>
    public static readonly IReadOnlyList<string> ContainedWords = new[]
    {
        "password", "passwd", "passphrase", "secret", "apikey", "credential", "connectionstring", "connstr",
        "privatekey",
    };

    /// <summary>Words that make a name ending with them a secret.</summary>
    public static readonly IReadOnlyList<string> EndingWords = new[] { "pwd", "token" };

    /// <summary>The built-in list only.</summary>
    public static readonly SecretNames Default = new(new string[0]);

    readonly string[] contained;

    /// <summary>The built-in list extended with <paramref name="extraWords"/> (matched anywhere in a name).</summary>
    public SecretNames(IEnumerable<string> extraWords)
    {
        ExtraWords = extraWords.ToList();
        contained = ContainedWords.Concat(ExtraWords.Select(Normalize)).Where(w => w.Length > 0).ToArray();
    }

    /// <summary>The words FodyWeavers.xml added, as written.</summary>
    public IReadOnlyList<string> ExtraWords { get; }

    /// <summary>Whether a parameter named <paramref name="name"/> holds a secret (or a method so named returns one).</summary>
    public bool IsSecret(string? name)
    {
        if (string.IsNullOrEmpty(name))
        {
            return false;
        }

        var normalized = Normalize(name!);
        return contained.Any(w => normalized.Contains(w)) || EndingWords.Any(w => normalized.EndsWith(w));
    }

    static string Normalize(string name)
    {
        var builder = new StringBuilder(name.Length);
        foreach (var c in name)
        {
            if (c != '_' && c != '-')
            {
                builder.Append(char.ToLowerInvariant(c));
            }
        }

        return builder.ToString();
    }
}
