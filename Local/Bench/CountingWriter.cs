using System.Text;

namespace Jobs.Local.Bench;

/// <summary>
/// A writer that keeps nothing and counts the UTF-8 bytes written to it, newlines included: what
/// Lambda would ship to CloudWatch Logs for the same output.
/// </summary>
internal sealed class CountingWriter : TextWriter
{
    private long _bytes;

    public long Bytes => Interlocked.Read(ref _bytes);

    public override Encoding Encoding => Encoding.UTF8;

    public override void Write(char value) => Interlocked.Add(ref _bytes, Encoding.UTF8.GetByteCount([value]));

    public override void Write(string? value) => Interlocked.Add(ref _bytes, value is null ? 0 : Encoding.UTF8.GetByteCount(value));

    public override void Write(char[] buffer, int index, int count) => Interlocked.Add(ref _bytes, Encoding.UTF8.GetByteCount(buffer, index, count));
}
