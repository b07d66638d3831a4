using System;
using System.Text;

namespace Tests.Runtime;

/// <summary>Random strings biased towards what breaks tracers: separators, escapes, controls, surrogates.</summary>
public static class RandomText
{
    private const string Separators = ".:,=\\<>\n\r\0\t 0_";

    public static string Next(Random random, int maxLength)
    {
        int length = random.Next(maxLength + 1);
        var builder = new StringBuilder(length);
        while (builder.Length < length)
        {
            switch (random.Next(8))
            {
                case 0:
                case 1:
                    builder.Append(Separators[random.Next(Separators.Length)]);
                    break;
                case 2:
                    builder.Append((char)random.Next(0x20));
                    break;
                case 3:
                    builder.Append((char)random.Next(0x20, 0x7F));
                    break;
                case 4:
                    // Any UTF-16 code unit, lone surrogates included.
                    builder.Append((char)random.Next(0x10000));
                    break;
                case 5:
                    builder.Append(char.ConvertFromUtf32(random.Next(0x10000, 0x110000)));
                    break;
                case 6:
                    builder.Append((char)random.Next(0xD800, 0xE000));
                    break;
                default:
                    builder.Append((char)random.Next(0x80, 0x800));
                    break;
            }
        }

        return builder.ToString();
    }
}
