using Jobs.Consumer;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Xml.Linq;
using Jobs.Shared.Jobs;
using Jobs.Shared.Json;
using Polly;
using Polly.Retry;

namespace Jobs.Consumer.Notices;

/// <summary>
/// Publishes notices with SNS's Query API (<c>Action=Publish</c>). It stands in for
/// AWSSDK.SimpleNotificationService, which this build cannot reach; the <see cref="HttpClient"/>
/// it is given signs with AWSSDK.Core (see <c>SigV4SigningHandler</c>) and points at the endpoint
/// the SDK would choose. Message attributes <c>type</c>, <c>status</c> and <c>model</c> let
/// subscribers filter.
/// </summary>
public sealed class SnsJobEvents(HttpClient http, JobEventsOptions options, TimeProvider time) : IJobEvents
{
    /// <summary>
    /// A short retry: a throttle or a server error costs a few hundred milliseconds here instead of a
    /// whole redelivery of a job that is already done. The notice is idempotent for subscribers (one
    /// event id), so a retry that follows a lost success only repeats it.
    /// </summary>
    private readonly ResiliencePipeline _retry = new ResiliencePipelineBuilder { TimeProvider = time }
        .AddRetry(new RetryStrategyOptions
        {
            ShouldHandle = new PredicateBuilder().Handle<SnsPublishException>(e => e.IsRetryable).Handle<HttpRequestException>(),
            BackoffType = DelayBackoffType.Exponential,
            UseJitter = true,
            Delay = TimeSpan.FromMilliseconds(100),
            MaxDelay = TimeSpan.FromSeconds(2),
            MaxRetryAttempts = 3,
        })
        .Build();

    public async Task PublishAsync(JobNotice notice, CancellationToken cancellationToken) =>
        await _retry.ExecuteAsync(
            static async (state, token) => await state.Self.PublishOnceAsync(state.Notice, token).ConfigureAwait(false),
            (Self: this, Notice: notice),
            cancellationToken).ConfigureAwait(false);

    public async Task PublishAsync(BatchNotice notice, CancellationToken cancellationToken) =>
        await _retry.ExecuteAsync(
            static async (state, token) =>
            {
                using var request = state.Self.BuildRequest(state.Notice);
                await state.Self.SendOnceAsync(request, token).ConfigureAwait(false);
            },
            (Self: this, Notice: notice),
            cancellationToken).ConfigureAwait(false);

    internal HttpRequestMessage BuildRequest(BatchNotice notice)
    {
        ArgumentNullException.ThrowIfNull(notice);
        var json = JsonSerializer.Serialize(notice, ConsumerJsonContext.Default.BatchNotice);
        var subject = $"Image batch {notice.BatchId} {notice.Status}: {notice.Succeeded} succeeded, {notice.Failed} failed";
        var form = new List<KeyValuePair<string, string>>
        {
            new("Action", "Publish"),
            new("Version", "2010-03-31"),
            new("TopicArn", options.TopicArn),
            new("Message", PerProtocol(json, $"{subject}.\nResults: {notice.Results ?? "none"}")),
            new("MessageStructure", "json"),
            new("Subject", subject),
        };
        AddAttribute(form, 1, "type", notice.Type);
        AddAttribute(form, 2, "status", notice.Status);
        AddAttribute(form, 3, "owner", notice.Owner);
        AddAttribute(form, 4, "batchId", notice.BatchId);
        return BuildRequest(form);
    }

    private async Task PublishOnceAsync(JobNotice notice, CancellationToken cancellationToken)
    {
        using var request = BuildRequest(notice);
        await SendOnceAsync(request, cancellationToken).ConfigureAwait(false);
    }

    private async Task SendOnceAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        using var response = await http.SendAsync(request, cancellationToken).ConfigureAwait(false);
        var body = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
        if (!response.IsSuccessStatusCode)
        {
            var (code, message) = ReadError(body);
            throw new SnsPublishException(code, message, (int)response.StatusCode);
        }
    }

    internal HttpRequestMessage BuildRequest(JobNotice notice)
    {
        ArgumentNullException.ThrowIfNull(notice);
        var form = new List<KeyValuePair<string, string>>
        {
            new("Action", "Publish"),
            new("Version", "2010-03-31"),
            new("TopicArn", options.TopicArn),
            // One publish, a message per protocol: the JSON for HTTPS, SQS and Lambda subscribers
            // ("default"), a short text for email ones.
            new("Message", PerProtocol(JsonSerializer.Serialize(notice, ConsumerJsonContext.Default.JobNotice), JobNotices.EmailText(notice, options.ApiUrl))),
            new("MessageStructure", "json"),
            new("Subject", JobNotices.Subject(notice)),
        };
        var attributes = new List<(string Name, string? Value)>
        {
            ("type", notice.Type), ("status", notice.Status.ToName()), ("model", notice.Model),
            ("owner", notice.Owner is { Length: > 0 } owner ? owner : null), ("batchId", notice.BatchId), ("clientId", notice.ClientId),
        };
        var index = 0;
        foreach (var (name, value) in attributes.Where(a => a.Value is not null))
        {
            AddAttribute(form, ++index, name, value!);
        }

        return BuildRequest(form);
    }

    private static string PerProtocol(string json, string email)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteString("default", json);
            writer.WriteString("email", email);
            writer.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.ToArray());
    }

    internal HttpRequestMessage BuildRequest(IEnumerable<KeyValuePair<string, string>> form)
    {
        var body = string.Join('&', form.Select(p => $"{Uri.EscapeDataString(p.Key)}={Uri.EscapeDataString(p.Value)}"));
        var content = new ByteArrayContent(Encoding.UTF8.GetBytes(body));
        content.Headers.ContentType = MediaTypeHeaderValue.Parse("application/x-www-form-urlencoded; charset=utf-8");
        return new HttpRequestMessage(HttpMethod.Post, new Uri("/", UriKind.Relative)) { Content = content };
    }

    private static void AddAttribute(List<KeyValuePair<string, string>> form, int index, string name, string value)
    {
        var prefix = $"MessageAttributes.entry.{index}";
        form.Add(new($"{prefix}.Name", name));
        form.Add(new($"{prefix}.Value.DataType", "String"));
        form.Add(new($"{prefix}.Value.StringValue", value));
    }

    private static (string Code, string Message) ReadError(string body)
    {
        try
        {
            var error = XDocument.Parse(body).Descendants().FirstOrDefault(e => e.Name.LocalName == "Error");
            string? Child(string name) => error?.Elements().FirstOrDefault(e => e.Name.LocalName == name)?.Value;
            return (Child("Code") ?? "Unknown", Child("Message") ?? body);
        }
        catch (System.Xml.XmlException)
        {
            return ("Unknown", body);
        }
    }
}
