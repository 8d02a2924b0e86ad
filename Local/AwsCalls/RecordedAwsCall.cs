namespace Jobs.Local.AwsCalls;

/// <summary>
/// One AWS request a function made, as it went over the wire: the signing service, the API
/// operation, the resource it named (an ARN in the local stack's own account and names), the
/// condition keys IAM would evaluate from the request itself, and the status it was answered with;
/// for DynamoDB, when measured, the capacity units it consumed (table and indexes together).
/// </summary>
public sealed record RecordedAwsCall(
    string Function,
    string Service,
    string Operation,
    string Resource,
    int Status,
    IReadOnlyDictionary<string, string> Context)
{
    public double CapacityUnits { get; init; }
}
