using Jobs.Shared.Requests;
using System.Net;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Jobs.Producer.Jobs;
using Jobs.Shared.Jobs;
using Jobs.Shared.Lambda;

namespace Jobs.Producer.Api;

/// <summary>Builds the HTTP API answers: JSON bodies and problem documents.</summary>
public static class ApiResults
{
    public static HttpApiResponse Json<T>(int status, T body, JsonTypeInfo<T> type, IReadOnlyDictionary<string, string>? headers = null)
    {
        var all = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase) { ["content-type"] = "application/json" };
        foreach (var header in headers ?? new Dictionary<string, string>())
        {
            all[header.Key] = header.Value;
        }

        return new HttpApiResponse { StatusCode = status, Headers = all, Body = JsonSerializer.Serialize(body, type) };
    }

    public static HttpApiResponse Problem(
        HttpStatusCode status,
        string type,
        string title,
        string? detail,
        string? instance,
        IReadOnlyList<FieldError>? errors = null,
        IReadOnlyDictionary<string, string>? headers = null)
    {
        var document = new ProblemDocument
        {
            Type = type,
            Title = title,
            Status = (int)status,
            Detail = detail,
            Instance = instance,
            Errors = errors is { Count: > 0 } ? errors : null,
        };
        var all = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase) { ["content-type"] = "application/problem+json" };
        foreach (var header in headers ?? new Dictionary<string, string>())
        {
            all[header.Key] = header.Value;
        }

        return new HttpApiResponse
        {
            StatusCode = (int)status,
            Headers = all,
            Body = JsonSerializer.Serialize(document, ProducerJsonContext.Default.ProblemDocument),
        };
    }
}
