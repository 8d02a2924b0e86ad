namespace Jobs.Shared.Models;

/// <summary>An image's size in pixels.</summary>
public readonly record struct ImageSize(int Width, int Height);
