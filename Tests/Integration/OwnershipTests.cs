using Jobs.Shared.Requests;
using System.Net;
using System.Text;
using System.Text.Json;
using Jobs.Local.Hosting;
using Jobs.Producer;
using Jobs.Producer.Api;
using Jobs.Producer.Jobs;
using Jobs.Shared.Jobs;
using Jobs.Shared.Lambda;
using Jobs.Tests.Support;

namespace Jobs.Tests.Integration;

/// <summary>Every job belongs to its caller: get, list and cancel see only the caller's jobs, and a cursor cannot reach another's.</summary>
public sealed class OwnershipTests
{
    private const string Alice = "arn:aws:iam::000000000000:user/alice";
    private const string Bob = "arn:aws:iam::000000000000:user/bob";

    private LocalStack _stack = null!;
    private ApiCalls _api = null!;

    [SetUp]
    public async Task StartAsync()
    {
        _stack = await TestStack.GetAsync();
        _api = new ApiCalls(_stack);
    }

    [TearDown]
    public void Dispose() => _api.Dispose();

    [Test]
    public async Task Another_owners_job_is_not_found_and_not_listed()
    {
        var alices = await SubmitAsync(Alice, "alice's job " + Guid.NewGuid().ToString("N")[..6]);

        using var bobGets = await SendAsync(Bob, HttpMethod.Get, $"jobs/{alices.Id}");
        using var bobCancels = await SendAsync(Bob, HttpMethod.Post, $"jobs/{alices.Id}/cancel");
        using var aliceGets = await SendAsync(Alice, HttpMethod.Get, $"jobs/{alices.Id}");
        var bobsList = await ListAsync(Bob, "queued");
        var alicesList = await ListAsync(Alice, "queued");

        Assert.That(bobGets.StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
        Assert.That(bobCancels.StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
        Assert.That(aliceGets.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(bobsList.Items.Select(j => j.Id), Does.Not.Contain(alices.Id));
        Assert.That(alicesList.Items.Select(j => j.Id).Concat((await ListAsync(Alice, "running")).Items.Select(j => j.Id)).Concat((await ListAsync(Alice, "succeeded")).Items.Select(j => j.Id)), Does.Contain(alices.Id));
    }

    [Test]
    public async Task A_cursor_of_one_owner_is_refused_to_another()
    {
        for (var i = 0; i < 3; i++)
        {
            var job = await SubmitAsync(Alice, $"alice's page {i} {Guid.NewGuid():N}");
            using var request = new HttpRequestMessage(HttpMethod.Get, new Uri($"jobs/{job.Id}", UriKind.Relative));
            request.Headers.Add(ApiGatewayServer.PrincipalHeader, Alice);
            request.Headers.Add("Prefer", "wait=20");
            using var done = await _api.Http.SendAsync(request);
            Assert.That(done.StatusCode, Is.EqualTo(HttpStatusCode.OK), "finished within the wait");
        }

        var alicesFirst = await ListAsync(Alice, "succeeded", limit: 1);
        using var bobFollows = await SendAsync(Bob, HttpMethod.Get, $"jobs?status=succeeded&limit=1&cursor={Uri.EscapeDataString(alicesFirst.NextCursor!)}");

        var problem = await ApiCalls.ReadProblemAsync(bobFollows);
        Assert.That(bobFollows.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
        Assert.That(problem.Errors!.Single().Field, Is.EqualTo("cursor"));
    }

    [Test]
    public async Task The_same_idempotency_key_of_two_owners_makes_two_jobs()
    {
        var key = Guid.NewGuid().ToString();

        var alices = await SubmitAsync(Alice, "keyed by two", key);
        var bobs = await SubmitAsync(Bob, "keyed by two", key);

        Assert.That(bobs.Id, Is.Not.EqualTo(alices.Id));
    }

    [TestCase("arn:aws:sts::123456789012:assumed-role/Worker/i-0abc", "arn:aws:iam::123456789012:role/Worker")]
    [TestCase("arn:aws:iam::123456789012:user/alice", "arn:aws:iam::123456789012:user/alice")]
    public void An_IAM_callers_owner_is_its_principal_and_a_roles_sessions_are_the_role(string userArn, string owner)
    {
        var request = new HttpApiRequest { RequestContext = new HttpApiRequestContext { Authorizer = new HttpApiAuthorizer { Iam = new HttpApiIamIdentity { UserArn = userArn } } } };

        Assert.That(CallerIdentity.OwnerOf(request, new ProducerOptions()), Is.EqualTo(owner));
    }

    [Test]
    public void A_token_callers_owner_is_its_issuer_and_subject_and_an_unauthenticated_one_the_default()
    {
        using var claims = JsonDocument.Parse("{\"sub\":\"u-1\",\"iss\":\"https://cognito-idp.us-east-1.amazonaws.com/pool\"}");
        var jwt = new HttpApiRequest
        {
            RequestContext = new HttpApiRequestContext
            {
                Authorizer = new HttpApiAuthorizer { Jwt = new HttpApiJwtIdentity { Claims = claims.RootElement.EnumerateObject().ToDictionary(p => p.Name, p => p.Value.Clone()) } },
            },
        };

        Assert.That(CallerIdentity.OwnerOf(jwt, new ProducerOptions()), Is.EqualTo("https://cognito-idp.us-east-1.amazonaws.com/pool#u-1"));
        Assert.That(CallerIdentity.OwnerOf(new HttpApiRequest(), new ProducerOptions { DefaultOwner = "local" }), Is.EqualTo("local"));
    }

    private async Task<JobView> SubmitAsync(string principal, string prompt, string? key = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri("jobs", UriKind.Relative))
        {
            Content = new StringContent(JsonSerializer.Serialize(new JobSubmission { Prompt = prompt }, ProducerJsonContext.Default.JobSubmission), Encoding.UTF8, "application/json"),
        };
        request.Headers.Add(ApiGatewayServer.PrincipalHeader, principal);
        if (key is not null)
        {
            request.Headers.Add(IdempotencyKeys.Header, key);
        }

        using var response = await _api.Http.SendAsync(request);
        var body = await response.Content.ReadAsStringAsync();
        Assert.That(response.IsSuccessStatusCode, Is.True, body);
        return JsonSerializer.Deserialize(body, ProducerJsonContext.Default.JobView)!;
    }

    private async Task<JobListView> ListAsync(string principal, string status, int limit = 100)
    {
        using var response = await SendAsync(principal, HttpMethod.Get, $"jobs?status={status}&limit={limit}");
        var body = await response.Content.ReadAsStringAsync();
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), body);
        return JsonSerializer.Deserialize(body, ProducerJsonContext.Default.JobListView)!;
    }

    private async Task<HttpResponseMessage> SendAsync(string principal, HttpMethod method, string uri)
    {
        using var request = new HttpRequestMessage(method, new Uri(uri, UriKind.Relative));
        request.Headers.Add(ApiGatewayServer.PrincipalHeader, principal);
        return await _api.Http.SendAsync(request);
    }
}
