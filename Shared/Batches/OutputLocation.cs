namespace Jobs.Shared.Batches;

/// <summary>Where a batch item's image should land, in a bucket the deployment lists (<see cref="BatchOptions.OutputBuckets"/>).</summary>
public sealed record OutputLocation(string Bucket, string Key)
{
    /// <summary>The key of the job's image <paramref name="index"/>: the given key for the first, <c>-2</c>, <c>-3</c>… before the extension for the others.</summary>
    public string KeyFor(int index)
    {
        if (index == 0)
        {
            return Key;
        }

        var dot = Key.LastIndexOf('.');
        var slash = Key.LastIndexOf('/');
        return dot > slash ? $"{Key[..dot]}-{index + 1}{Key[dot..]}" : $"{Key}-{index + 1}";
    }
}
