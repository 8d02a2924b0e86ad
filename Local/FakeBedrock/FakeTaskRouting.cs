using System.Text.Json;

namespace Jobs.Local.FakeBedrock;

/// <summary>Tells, from a body, which of a model's request shapes it is: a text-to-image call or one that reads images.</summary>
public static class FakeTaskRouting
{
    /// <summary>True for SD3.5 Large's image-to-image mode.</summary>
    public static bool IsImageToImage(byte[] body) =>
        Root(body) is { } root && root.TryGetProperty("mode", out var mode) && mode.ValueKind == JsonValueKind.String && mode.GetString() == "image-to-image";

    /// <summary>The body of a Titan or Nova task that reads images (any task type but TEXT_IMAGE, or TEXT_IMAGE with a condition image), else null.</summary>
    public static JsonElement? ReadsImages(byte[] body)
    {
        if (Root(body) is not { } root || !root.TryGetProperty("taskType", out var taskType) || taskType.ValueKind != JsonValueKind.String)
        {
            return null;
        }

        var conditioned = root.TryGetProperty("textToImageParams", out var text) && text.ValueKind == JsonValueKind.Object && text.TryGetProperty("conditionImage", out _);
        return taskType.GetString() != "TEXT_IMAGE" || conditioned ? root : null;
    }

    private static JsonElement? Root(byte[] body)
    {
        try
        {
            using var document = JsonDocument.Parse(body);
            return document.RootElement.ValueKind == JsonValueKind.Object ? document.RootElement.Clone() : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
