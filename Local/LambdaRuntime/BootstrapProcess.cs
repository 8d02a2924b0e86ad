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

    public int ExitCode => _process.ExitCode;

    public static BootstrapProcess Start(string bootstrap, RuntimeApiHost runtimeApi, IReadOnlyDictionary<string, string> environment, string functionName)
    {
        ArgumentNullException.ThrowIfNull(runtimeApi);
        ArgumentNullException.ThrowIfNull(environment);
        // An arm64 bootstrap on an x64 machine runs under qemu's user-mode emulator, as it would natively on Graviton.
        var emulated = ElfMachine.NeedsEmulation(bootstrap);
        var info = new ProcessStartInfo(emulated ? ElfMachine.Aarch64Emulator : bootstrap, emulated ? [bootstrap] : [])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = Path.GetDirectoryName(bootstrap)!,
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
        info.Environment["LAMBDA_TASK_ROOT"] = Path.GetDirectoryName(bootstrap)!;
        info.Environment["TZ"] = ":UTC";
        info.Environment["PATH"] = "/usr/local/bin:/usr/bin:/bin";

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
