using System.Text.Json;
using System.Text.RegularExpressions;
using Jobs.Shared.Lambda;

namespace Jobs.Producer.Api;

/// <summary>
/// Who owns what a request makes and may see what it asks for: the JWT's issuer and subject when a
/// JWT authorizer let it in, else the IAM principal (a role's sessions are the role: a function
/// that calls with new credentials every hour still sees its jobs), else the configured default
/// (an API without authorization, and the local stack).
/// </summary>
public static partial class CallerIdentity
{
    public static string OwnerOf(HttpApiRequest request, ProducerOptions options)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(options);
        var authorizer = request.RequestContext.Authorizer;
        if (authorizer?.Jwt?.Claims is { } claims && Claim(claims, "sub") is { } subject)
        {
            return Claim(claims, "iss") is { } issuer ? $"{issuer}#{subject}" : subject;
        }

        if (authorizer?.Iam?.UserArn is { Length: > 0 } arn)
        {
            var session = AssumedRole().Match(arn);
            return session.Success ? $"arn:{session.Groups[1].Value}:iam::{session.Groups[2].Value}:role/{session.Groups[3].Value}" : arn;
        }

        return options.DefaultOwner;
    }

    private static string? Claim(Dictionary<string, JsonElement> claims, string name) =>
        claims.TryGetValue(name, out var value) && value.ValueKind == JsonValueKind.String && value.GetString() is { Length: > 0 } text ? text : null;

    [GeneratedRegex(@"^arn:([\w-]+):sts::(\d{12}):assumed-role/([\w+=,.@-]+)/[\w+=,.@-]+$")]
    private static partial Regex AssumedRole();
}
