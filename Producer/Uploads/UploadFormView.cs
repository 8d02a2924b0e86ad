namespace Jobs.Producer.Uploads;

/// <summary>How to send the file: <c>multipart/form-data</c> POST to <see cref="Url"/> with every field, then the file as the last field, <c>file</c>.</summary>
public sealed record UploadFormView(string Method, Uri Url, IReadOnlyDictionary<string, string> Fields);
