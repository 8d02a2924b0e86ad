using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.WebUtilities;

namespace Jobs.Local.AwsCalls;

/// <summary>
/// Reads what an AWS request asks for from the request as sent: the service from its SigV4
/// credential scope, the operation and resource from each protocol's own shape (DynamoDB's and
/// SQS's JSON targets, S3's REST paths, SNS's query form, Bedrock's REST path). A request it cannot
/// read becomes operation <c>Unknown</c>, which the IAM coverage test refuses, so a new kind of call
/// is never waved through unread.
/// </summary>
internal static partial class AwsRequestReader
{
    /// <summary>The local emulators' account, which fauxqs puts in its queue URLs and ARNs.</summary>
    private const string LocalAccount = "000000000000";

    private static readonly IReadOnlyDictionary<string, string> NoContext = new Dictionary<string, string>();

    public static async Task<RecordedAwsCall> ReadAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var uri = request.RequestUri ?? throw new InvalidOperationException("A request without a URI.");
        // Signed in the Authorization header, or (a presigned URL) in the query's X-Amz-Credential.
        var scope = CredentialScope().Match(request.Headers.TryGetValues("Authorization", out var values) ? string.Join(",", values)
            : QueryHelpers.ParseQuery(uri.Query).TryGetValue("X-Amz-Credential", out var credential) ? $"Credential={credential}"
            : string.Empty);
        if (!scope.Success)
        {
            return Unknown("unsigned", $"{request.Method} {uri.AbsolutePath}");
        }

        var region = scope.Groups["region"].Value;
        var service = scope.Groups["service"].Value;
        switch (service)
        {
            case "dynamodb":
            {
                var operation = Target(request, "DynamoDB_20120810.");
                using var body = await JsonBodyAsync(request, cancellationToken).ConfigureAwait(false);
                var table = TableName(body.RootElement);
                var resource = table is null ? string.Empty : $"arn:aws:dynamodb:{region}:{LocalAccount}:table/{table}";
                if (body.RootElement.TryGetProperty("IndexName", out var index) && index.GetString() is { } indexName)
                {
                    resource += "/index/" + indexName;
                }

                // A transaction is authorized action by action (Put as PutItem, ConditionCheck as
                // ConditionCheckItem…); the rules read which from here.
                return operation == "TransactWriteItems" && body.RootElement.TryGetProperty("TransactItems", out var items)
                    ? Call(service, operation, resource, new Dictionary<string, string> { [TransactActionsKey] = string.Join(',', items.EnumerateArray().SelectMany(i => i.EnumerateObject().Select(p => p.Name))) })
                    : Call(service, operation, resource);
            }

            case "sqs":
            {
                var operation = Target(request, "AmazonSQS.");
                using var body = await JsonBodyAsync(request, cancellationToken).ConfigureAwait(false);
                var queueUrl = body.RootElement.TryGetProperty("QueueUrl", out var url) ? url.GetString() : null;
                var segments = queueUrl is null ? [] : new Uri(queueUrl).AbsolutePath.Split('/', StringSplitOptions.RemoveEmptyEntries);
                var resource = segments.Length == 2 ? $"arn:aws:sqs:{region}:{segments[0]}:{segments[1]}" : string.Empty;
                return Call(service, operation, resource);
            }

            case "sns":
            {
                var form = QueryHelpers.ParseQuery(await request.Content!.ReadAsStringAsync(cancellationToken).ConfigureAwait(false));
                return Call(service, form.TryGetValue("Action", out var action) ? action.ToString() : "Unknown", form.TryGetValue("TopicArn", out var topic) ? topic.ToString() : string.Empty);
            }

            case "s3":
                return ReadS3(request, uri);

            case "bedrock":
            {
                var match = BedrockPath().Match(uri.AbsolutePath);
                if (!match.Success)
                {
                    return Unknown(service, $"{request.Method} {uri.AbsolutePath}");
                }

                var modelId = Uri.UnescapeDataString(match.Groups["model"].Value);
                var operation = match.Groups["stream"].Success ? "InvokeModelWithResponseStream" : "InvokeModel";
                var resource = modelId.StartsWith("arn:", StringComparison.Ordinal) ? modelId
                    : InferenceProfileId().IsMatch(modelId) ? $"arn:aws:bedrock:{region}:{LocalAccount}:inference-profile/{modelId}"
                    : $"arn:aws:bedrock:{region}::foundation-model/{modelId}";
                return Call(service, operation, resource);
            }

            default:
                return Unknown(service, $"{request.Method} {uri.AbsolutePath}");
        }
    }

    /// <summary>S3's REST API, path style (as the local stack uses) or virtual-host style.</summary>
    private static RecordedAwsCall ReadS3(HttpRequestMessage request, Uri uri)
    {
        string bucket;
        string key;
        var path = uri.AbsolutePath.TrimStart('/');
        var host = uri.Host;
        var virtualHost = host.IndexOf(".s3.", StringComparison.Ordinal);
        if (virtualHost > 0)
        {
            bucket = host[..virtualHost];
            key = Uri.UnescapeDataString(path);
        }
        else
        {
            var slash = path.IndexOf('/', StringComparison.Ordinal);
            bucket = slash < 0 ? path : path[..slash];
            key = slash < 0 ? string.Empty : Uri.UnescapeDataString(path[(slash + 1)..]);
        }

        var query = QueryHelpers.ParseQuery(uri.Query);
        var method = request.Method.Method;
        if (key.Length > 0)
        {
            var objectArn = $"arn:aws:s3:::{bucket}/{key}";
            return method switch
            {
                "GET" => Call("s3", "GetObject", objectArn),
                "HEAD" => Call("s3", "HeadObject", objectArn),
                "PUT" when request.Headers.Contains("x-amz-copy-source") => Call("s3", "CopyObject", objectArn),
                "PUT" => Call("s3", "PutObject", objectArn),
                "DELETE" => Call("s3", "DeleteObject", objectArn),
                _ => Unknown("s3", $"{method} {uri.AbsolutePath}"),
            };
        }

        var bucketArn = $"arn:aws:s3:::{bucket}";
        return method switch
        {
            "GET" when query.TryGetValue("list-type", out var type) && type == "2" =>
                Call("s3", "ListObjectsV2", bucketArn, new Dictionary<string, string> { ["s3:prefix"] = query.TryGetValue("prefix", out var prefix) ? prefix.ToString() : string.Empty }),
            "HEAD" => Call("s3", "HeadBucket", bucketArn),
            "PUT" => Call("s3", "CreateBucket", bucketArn),
            "POST" when query.ContainsKey("delete") => Call("s3", "DeleteObjects", bucketArn),
            _ => Unknown("s3", $"{method} {uri.AbsolutePath}{uri.Query}"),
        };
    }

    private static string Target(HttpRequestMessage request, string prefix) =>
        request.Headers.TryGetValues("X-Amz-Target", out var targets) && targets.FirstOrDefault() is { } target && target.StartsWith(prefix, StringComparison.Ordinal)
            ? target[prefix.Length..]
            : "Unknown";

    private static async Task<JsonDocument> JsonBodyAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var bytes = request.Content is null ? [] : await request.Content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false);
        return JsonDocument.Parse(bytes.Length == 0 ? "{}"u8.ToArray() : bytes);
    }

    /// <summary>The table a DynamoDB request names: at the top, or in its batch or transaction items.</summary>
    private static string? TableName(JsonElement body)
    {
        if (body.TryGetProperty("TableName", out var table))
        {
            return table.GetString();
        }

        if (body.TryGetProperty("RequestItems", out var items) && items.ValueKind == JsonValueKind.Object)
        {
            return items.EnumerateObject().Select(p => p.Name).FirstOrDefault();
        }

        if (body.TryGetProperty("TransactItems", out var transact) && transact.ValueKind == JsonValueKind.Array)
        {
            foreach (var item in transact.EnumerateArray())
            {
                foreach (var part in item.EnumerateObject())
                {
                    if (part.Value.TryGetProperty("TableName", out var name))
                    {
                        return name.GetString();
                    }
                }
            }
        }

        return null;
    }

    /// <summary>Not an IAM key: the actions of a DynamoDB transaction, in order, for the coverage rules.</summary>
    public const string TransactActionsKey = "jobs:transactActions";

    private static RecordedAwsCall Call(string service, string operation, string resource, IReadOnlyDictionary<string, string>? context = null) =>
        new(string.Empty, service, operation, resource, 0, context ?? NoContext);

    private static RecordedAwsCall Unknown(string service, string what) =>
        new(string.Empty, service, "Unknown", what, 0, NoContext);

    [GeneratedRegex(@"Credential=[^/]+/\d{8}/(?<region>[^/]+)/(?<service>[^/]+)/aws4_request")]
    private static partial Regex CredentialScope();

    [GeneratedRegex(@"^/model/(?<model>[^/]+)/invoke(?<stream>-with-response-stream)?$")]
    private static partial Regex BedrockPath();

    /// <summary>Cross-Region inference profiles are the model id behind a geography prefix (us., eu., apac., …).</summary>
    [GeneratedRegex(@"^(us|us-gov|eu|apac|jp|au|ca|global)\.")]
    private static partial Regex InferenceProfileId();
}
