using System.Text.Json;
using System.Text.Json.Nodes;
using Jobs.Local.Cli;

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
        using var content = BrowserFormContent.Create(form["fields"]!.AsObject().Select(f => KeyValuePair.Create(f.Key, f.Value!.GetValue<string>())), bytes, contentType);
        return await http.PostAsync(new Uri(form["url"]!.GetValue<string>()), content);
    }
}
