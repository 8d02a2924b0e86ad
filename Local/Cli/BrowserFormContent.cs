using System.Net.Http.Headers;

namespace Jobs.Local.Cli;

/// <summary>
/// A presigned S3 POST form filled in the way a browser sends it: every field before the file (S3
/// reads the policy first), names quoted (RFC 7578) and the boundary unquoted. .NET's defaults
/// (bare names, a quoted boundary) are valid too but not what every S3 implementation parses.
/// </summary>
public static class BrowserFormContent
{
    public static MultipartFormDataContent Create(IEnumerable<KeyValuePair<string, string>> fields, byte[] file, string contentType)
    {
        ArgumentNullException.ThrowIfNull(fields);
        var boundary = "----jobs" + Guid.NewGuid().ToString("N");
        var form = new MultipartFormDataContent(boundary);
        form.Headers.ContentType = MediaTypeHeaderValue.Parse($"multipart/form-data; boundary={boundary}");
        foreach (var (name, value) in fields)
        {
            var field = new StringContent(value);
            field.Headers.ContentType = null;
            field.Headers.ContentDisposition = new ContentDispositionHeaderValue("form-data") { Name = $"\"{name}\"" };
            form.Add(field);
        }

        var bytes = new ByteArrayContent(file);
        bytes.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
        bytes.Headers.ContentDisposition = new ContentDispositionHeaderValue("form-data") { Name = "\"file\"", FileName = "\"upload\"" };
        form.Add(bytes);
        return form;
    }
}
