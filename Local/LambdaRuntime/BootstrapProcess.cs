using System.Diagnostics;
using System.Text;

namespace Jobs.Local.LambdaRuntime;

/// <summary>
/// A function's <c>bootstrap</c> running as a child process against a <see cref="RuntimeApiHost"/>,
/// with the environment Lambda would give it. Its output is kept for the caller to show on failure.
/// </summary>
public sealed class BootstrapProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output = new();

    private BootstrapProcess(Process process) => _process = process;

    /// <summary>What the function wrote to stdout and stderr so far (its logs).</summary>
    public string Output
    {
        get
        {
            lock (_output)
            {
                return _output.ToString();
            }
        }
    }

    public bool HasExited => _process.HasExited;

    /// <summary>The process's peak resident memory so far (Linux's VmHWM), in bytes.</summary>
    public long PeakResidentBytes()
    {
        foreach (var line in File.ReadLines($"/proc/{_process.Id}/status"))
        {
            if (line.StartsWith("VmHWM:", StringComparison.Ordinal))
            {
                return long.Parse(line["VmHWM:".Length..].Trim().Split(' ')[0], System.Globalization.CultureInfo.InvariantCulture) * 1024;
            }
        }

        throw new InvalidOperationException("No VmHWM in /proc/status.");
    }

    public int ExitCode => _process.ExitCode;

    public static BootstrapProcess Start(string bootstrap, RuntimeApiHost runtimeApi, IReadOnlyDictionary<string, string> environment, string functionName)
    {
        // An arm64 bootstrap on an x64 machine runs under qemu's user-mode emulator, as it would natively on Graviton.
        var emulated = ElfMachine.NeedsEmulation(bootstrap);
        return StartCommand(emulated ? ElfMachine.Aarch64Emulator : bootstrap, emulated ? [bootstrap] : [], Path.GetDirectoryName(bootstrap)!, runtimeApi, environment, functionName);
    }

    /// <summary>
    /// Runs any command as the function's process (the benchmark runs the same code under the JIT
    /// with <c>dotnet Jobs.Consumer.dll</c>), with the environment Lambda gives a custom runtime.
    /// </summary>
    public static BootstrapProcess StartCommand(string fileName, IReadOnlyList<string> arguments, string taskRoot, RuntimeApiHost runtimeApi, IReadOnlyDictionary<string, string> environment, string functionName)
    {
        ArgumentNullException.ThrowIfNull(runtimeApi);
        ArgumentNullException.ThrowIfNull(environment);
        var info = new ProcessStartInfo(fileName, arguments)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = taskRoot,
        };
        info.Environment.Clear();
        foreach (var (name, value) in environment)
        {
            info.Environment[name] = value;
        }

        // What Lambda sets for every custom runtime.
        info.Environment["AWS_LAMBDA_RUNTIME_API"] = runtimeApi.Address;
        info.Environment["AWS_LAMBDA_FUNCTION_NAME"] = functionName;
        info.Environment["AWS_LAMBDA_FUNCTION_MEMORY_SIZE"] = "512";
        info.Environment["AWS_LAMBDA_FUNCTION_VERSION"] = "$LATEST";
        info.Environment["_HANDLER"] = "bootstrap";
        info.Environment["LAMBDA_TASK_ROOT"] = taskRoot;
        info.Environment["TZ"] = ":UTC";
        info.Environment["PATH"] = "/usr/local/bin:/usr/bin:/bin";
        if (Environment.GetEnvironmentVariable("DOTNET_ROOT") is { } dotnetRoot)
        {
            // Only the JIT comparison needs it: a bootstrap carries its runtime.
            info.Environment["DOTNET_ROOT"] = dotnetRoot;
        }

        var process = new Process { StartInfo = info, EnableRaisingEvents = true };
        var running = new BootstrapProcess(process);
        process.OutputDataReceived += (_, e) => running.Append(e.Data);
        process.ErrorDataReceived += (_, e) => running.Append(e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return running;
    }

    /// <summary>Sends SIGTERM, as Lambda does when it shuts an execution environment down.</summary>
    public void Terminate() => Signal("TERM");

    /// <summary>Sends SIGKILL: the process ends at once, mid-write if it was writing, as a crashed sandbox does.</summary>
    public void Kill() => Signal("KILL");

    private void Signal(string signal)
    {
        if (_process.HasExited)
        {
            return;
        }

        using var kill = Process.Start(new ProcessStartInfo("kill", ["-" + signal, _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]) { UseShellExecute = false })!;
        kill.WaitForExit();
    }

    /// <summary>Waits for the process to end by itself (after an init error, say).</summary>
    public Task WaitForExitAsync(TimeSpan timeout) => _process.WaitForExitAsync().WaitAsync(timeout);

    private void Append(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_output)
        {
            _output.AppendLine(line);
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            // Lambda sends SIGTERM on shutdown; Kill is the backstop.
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync().ConfigureAwait(false);
        }

        _process.Dispose();
    }
}
