using System.Runtime.InteropServices;

namespace Jobs.Local.Bench;

/// <summary>What the figures were measured on: processor, cores, memory, OS and .NET.</summary>
public static class BenchMachine
{
    public static string Describe()
    {
        var cpu = File.Exists("/proc/cpuinfo")
            ? File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal))?.Split(':', 2)[1].Trim()
            : null;
        var memory = File.Exists("/proc/meminfo")
            ? File.ReadLines("/proc/meminfo").FirstOrDefault(l => l.StartsWith("MemTotal:", StringComparison.Ordinal))?.Split(':', 2)[1].Trim()
            : null;
        return $"{cpu ?? RuntimeInformation.ProcessArchitecture.ToString()}, {Environment.ProcessorCount} cores, {memory ?? "? memory"}, {RuntimeInformation.OSDescription}, .NET {Environment.Version}";
    }
}
