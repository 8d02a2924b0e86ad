namespace Jobs.Local.Bench;

/// <summary>
/// AWS list prices in US East (N. Virginia), on-demand, without free tiers, in US dollars, as
/// published on each service's pricing page (read 2026-12-01). The cost figures are estimates from
/// these and from what the benchmark counts; a Region or a price change moves them.
/// </summary>
internal static class ListPrices
{
    public const double LambdaX86PerGbSecond = 0.0000166667;
    public const double LambdaArmPerGbSecond = 0.0000133334;
    public const double LambdaPerRequest = 0.20 / 1_000_000;

    /// <summary>HTTP API, first 300 million requests a month.</summary>
    public const double HttpApiPerRequest = 1.00 / 1_000_000;

    /// <summary>On-demand write and read request units.</summary>
    public const double DynamoDbPerWriteUnit = 0.625 / 1_000_000;
    public const double DynamoDbPerReadUnit = 0.125 / 1_000_000;

    /// <summary>Standard queue, per request (64 KB chunk).</summary>
    public const double SqsPerRequest = 0.40 / 1_000_000;

    /// <summary>S3 Standard: PUT, COPY, POST, LIST; and GET, HEAD.</summary>
    public const double S3PerPut = 0.005 / 1000;
    public const double S3PerGet = 0.0004 / 1000;

    /// <summary>Standard topic publishes (deliveries to subscribers are priced by protocol and not counted here).</summary>
    public const double SnsPerPublish = 0.50 / 1_000_000;

    /// <summary>CloudWatch Logs standard ingestion (the EMF metric lines included).</summary>
    public const double LogsPerGigabyte = 0.50;

    /// <summary>X-Ray traces recorded.</summary>
    public const double XRayPerTrace = 5.00 / 1_000_000;
}
