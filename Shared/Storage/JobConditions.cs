using Amazon.DynamoDBv2.Model;
using Jobs.Shared.Jobs;
using static Jobs.Shared.Storage.JobItemMapper;

namespace Jobs.Shared.Storage;

/// <summary>
/// DynamoDB condition expressions made from <see cref="JobTransitions"/>: an event's condition is
/// "one of its rows holds", each row being its from-status and its guards. Nothing else decides
/// whether a write may happen, so the table is the state machine.
/// </summary>
public sealed class JobConditions
{
    private static readonly Dictionary<JobEvent, JobConditions> ByEvent =
        Enum.GetValues<JobEvent>().ToDictionary(e => e, e => new JobConditions(JobTransitions.For(e)));

    private readonly IReadOnlyList<JobTransition> _rows;

    private JobConditions(IReadOnlyList<JobTransition> rows)
    {
        _rows = rows;
        // DynamoDB refuses redundant parentheses, so a group is bracketed only when it has to be.
        var alternatives = rows.Select(Row).ToList();
        Expression = "attribute_exists(jobId) AND " + (alternatives.Count == 1
            ? alternatives[0]
            : "(" + string.Join(" OR ", alternatives.Select(a => a.Contains(" AND ", StringComparison.Ordinal) ? "(" + a + ")" : a)) + ")");
    }

    /// <summary>The condition expression; it names the status as <c>#status</c>.</summary>
    public string Expression { get; }

    public static JobConditions For(JobEvent @event) => ByEvent[@event];

    /// <summary>The placeholder values the expression uses.</summary>
    /// <exception cref="InvalidOperationException">A guard needs a value the caller did not give.</exception>
    public IReadOnlyDictionary<string, AttributeValue> Values(JobConditionValues given)
    {
        ArgumentNullException.ThrowIfNull(given);
        var values = new Dictionary<string, AttributeValue>();
        foreach (var row in _rows)
        {
            values[":from_" + row.From.ToName()] = S(row.From.ToName());
        }

        var guards = _rows.Aggregate(JobGuard.None, (all, row) => all | row.Guard);
        if (guards.HasFlag(JobGuard.DispatchMatches))
        {
            values[":dispatch"] = N(given.Dispatch ?? throw Missing("a dispatch"));
        }

        if (guards.HasFlag(JobGuard.AttemptMatches))
        {
            values[":attempt"] = N(given.Attempt ?? throw Missing("an attempt"));
        }

        if (guards.HasFlag(JobGuard.LeaseExpired))
        {
            values[":nowMs"] = N((given.Now ?? throw Missing("the time")).ToUnixTimeMilliseconds());
        }

        if (guards.HasFlag(JobGuard.Due))
        {
            // A second's grace: SQS delays in whole seconds, and clocks of two machines differ a little.
            values[":dueBy"] = N((given.Now ?? throw Missing("the time")).AddSeconds(1).ToUnixTimeMilliseconds());
        }

        return values;
    }

    private static string Row(JobTransition row)
    {
        var parts = new List<string> { $"#status = :from_{row.From.ToName()}" };
        if (row.Guard.HasFlag(JobGuard.DispatchMatches))
        {
            parts.Add("dispatch = :dispatch");
        }

        if (row.Guard.HasFlag(JobGuard.AttemptMatches))
        {
            parts.Add("attempts = :attempt");
        }

        if (row.Guard.HasFlag(JobGuard.LeaseExpired))
        {
            parts.Add("leaseExpiresAt < :nowMs");
        }

        if (row.Guard.HasFlag(JobGuard.NoCancelRequested))
        {
            parts.Add("attribute_not_exists(cancelRequestedAt)");
        }

        if (row.Guard.HasFlag(JobGuard.CancelRequested))
        {
            parts.Add("attribute_exists(cancelRequestedAt)");
        }

        if (row.Guard.HasFlag(JobGuard.NotNotified))
        {
            parts.Add("attribute_not_exists(notifiedAt)");
        }

        if (row.Guard.HasFlag(JobGuard.Due))
        {
            parts.Add("(attribute_not_exists(dueAt) OR dueAt <= :dueBy)");
        }

        return string.Join(" AND ", parts);
    }

    private InvalidOperationException Missing(string what) =>
        new($"The {_rows[0].Event} write needs {what} for its guard.");
}
