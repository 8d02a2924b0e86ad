using System.Globalization;
using System.Text;

namespace Jobs.Shared.Requests;

/// <summary>
/// What counts as saying nothing in a prompt: white space, and the characters that show nothing
/// at all (controls, and format characters such as zero-width spaces and joiners, the byte order
/// mark or bidirectional marks). A prompt of only these would be sent to Bedrock, and paid for, as
/// an empty one.
/// </summary>
public static class PromptText
{
    public static bool IsBlank([System.Diagnostics.CodeAnalysis.NotNullWhen(false)] string? text)
    {
        if (string.IsNullOrEmpty(text))
        {
            return true;
        }

        foreach (var rune in text.EnumerateRunes())
        {
            if (!Rune.IsWhiteSpace(rune) && Rune.GetUnicodeCategory(rune) is not (UnicodeCategory.Control or UnicodeCategory.Format))
            {
                return false;
            }
        }

        return true;
    }
}
