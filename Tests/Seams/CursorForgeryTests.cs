using System.Net;
using System.Text;
using Jobs.Tests.Support;

namespace Jobs.Tests.Seams;

/// <summary>A list cursor is the client's to hold but not to make: an edited one is a 400 naming <c>cursor</c>, never a 500.</summary>
public sealed class CursorForgeryTests
{
    [TestCase("{\"jobId\":\"01a2220b-73b9-775f-894d-c555c0a38621\",\"status\":\"succeeded\",\"createdAt\":\"\"}", TestName = "An empty createdAt")]
    [TestCase("{\"jobId\":\"01a2220b-73b9-775f-894d-c555c0a38621\",\"status\":\"succeeded\"}", TestName = "A missing createdAt")]
    [TestCase("{\"jobId\":\"01a2220b-73b9-775f-894d-c555c0a38621\",\"status\":\"succeeded\",\"createdAt\":\"yesterday\"}", TestName = "A createdAt that is not a timestamp")]
    [TestCase("LONG", TestName = "A cursor longer than any key DynamoDB takes")]
    public async Task A_forged_cursor_is_a_400_naming_the_cursor(string json)
    {
        var stack = await TestStack.GetAsync();
        using var api = new ApiCalls(stack);
        if (json == "LONG")
        {
            json = $"{{\"jobId\":\"01a2220b-73b9-775f-894d-c555c0a38621\",\"status\":\"succeeded\",\"createdAt\":\"{new string('9', 3000)}\"}}";
        }

        var cursor = Convert.ToBase64String(Encoding.UTF8.GetBytes(json)).TrimEnd('=').Replace('+', '-').Replace('/', '_');
        using var response = await api.Http.GetAsync(new Uri($"jobs?status=succeeded&cursor={cursor}", UriKind.Relative));

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest), await response.Content.ReadAsStringAsync());
        var problem = await ApiCalls.ReadProblemAsync(response);
        Assert.That(problem.Errors!.Select(e => e.Field), Is.EqualTo(new[] { "cursor" }));
    }
}
