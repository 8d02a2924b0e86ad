using System.Net.Http.Headers;
using System.Text;
using System.Xml.Linq;

namespace Jobs.Local.Hosting;

/// <summary>
/// The two SNS Query calls the local stack needs to set itself up (CreateTopic, Subscribe); in AWS
/// the Pulumi program creates these. Same signing and endpoint as the service's SNS client.
/// </summary>
public sealed class LocalSnsAdmin(HttpClient http)
{
    public Task<string> CreateTopicAsync(string name, CancellationToken cancellationToken) =>
        CallAsync([new("Action", "CreateTopic"), new("Name", name)], "TopicArn", cancellationToken);

    public Task<string> SubscribeQueueAsync(string topicArn, string queueArn, CancellationToken cancellationToken) =>
        CallAsync(
            [new("Action", "Subscribe"), new("TopicArn", topicArn), new("Protocol", "sqs"), new("Endpoint", queueArn)],
            "SubscriptionArn",
            cancellationToken);

    private async Task<string> CallAsync(List<KeyValuePair<string, string>> form, string resultElement, CancellationToken cancellationToken)
    {
        form.Add(new("Version", "2010-03-31"));
        var body = string.Join('&', form.Select(p => $"{Uri.EscapeDataString(p.Key)}={Uri.EscapeDataString(p.Value)}"));
        using var content = new ByteArrayContent(Encoding.UTF8.GetBytes(body));
        content.Headers.ContentType = MediaTypeHeaderValue.Parse("application/x-www-form-urlencoded; charset=utf-8");
        using var response = await http.PostAsync(new Uri("/", UriKind.Relative), content, cancellationToken).ConfigureAwait(false);
        var text = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
        if (!response.IsSuccessStatusCode)
        {
            throw new InvalidOperationException($"SNS {form[0].Value} failed ({(int)response.StatusCode}): {text}");
        }

        return XDocument.Parse(text).Descendants().First(e => e.Name.LocalName == resultElement).Value;
    }
}
