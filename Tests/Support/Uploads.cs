using System.Net.Http.Headers;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Jobs.Tests.Support;

/// <summary>Uploads an input image the way a client does: <c>POST /uploads</c>, then the presigned form to S3.</summary>
public static class Uploads
{
    public static async Task<string> UploadAsync(ApiCalls api, byte[] bytes, string contentType = "image/png")
    {
        ArgumentNullException.ThrowIfNull(api);
        var (id, form) = await CreateAsync(api, contentType);
        using var response = await PostFormAsync(form, bytes, contentType);
        Assert.That((int)response.StatusCode, Is.InRange(200, 204), await response.Content.ReadAsStringAsync());
        return id;
    }

    public static async Task<(string Id, JsonNode Form)> CreateAsync(ApiCalls api, string contentType = "image/png")
    {
        ArgumentNullException.ThrowIfNull(api);
        using var created = await api.PostJsonAsync("uploads", $"{{\"contentType\":{JsonSerializer.Serialize(contentType)}}}");
        var body = await created.Content.ReadAsStringAsync();
        Assert.That((int)created.StatusCode, Is.EqualTo(201), body);
        var view = JsonNode.Parse(body)!;
        return (view["id"]!.GetValue<string>(), view["form"]!);
    }

    /// <summary>A multipart POST of the form's fields and then the file, as a browser form sends it.</summary>
    public static async Task<HttpResponseMessage> PostFormAsync(JsonNode form, byte[] bytes, string contentType)
    {
        ArgumentNullException.ThrowIfNull(form);
        using var http = new HttpClient();
        var boundary = "----jobs" + Guid.NewGuid().ToString("N");
        using var content = new MultipartFormDataContent(boundary);
        // Unquoted, as browsers send it; .NET quotes the boundary parameter.
        content.Headers.ContentType = MediaTypeHeaderValue.Parse($"multipart/form-data; boundary={boundary}");
        foreach (var (name, value) in form["fields"]!.AsObject())
        {
            var field = new StringContent(value!.GetValue<string>());
            field.Headers.ContentType = null;
            // Quoted, as browsers send them (RFC 7578); .NET leaves simple names bare.
            field.Headers.ContentDisposition = new ContentDispositionHeaderValue("form-data") { Name = $"\"{name}\"" };
            content.Add(field);
        }

        var file = new ByteArrayContent(bytes);
        file.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
        file.Headers.ContentDisposition = new ContentDispositionHeaderValue("form-data") { Name = "\"file\"", FileName = "\"upload\"" };
        content.Add(file);
        return await http.PostAsync(new Uri(form["url"]!.GetValue<string>()), content);
    }
}
