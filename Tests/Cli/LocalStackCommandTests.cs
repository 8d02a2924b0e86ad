using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.RegularExpressions;
using Amazon.Runtime;
using Amazon.SQS;
using Jobs.Local.Emulators;

namespace Jobs.Tests.Cli;

/// <summary>
/// The local stack's command as a user meets it: started in a real pseudo-terminal (util-linux
/// <c>script</c>), stopped with Ctrl+C, and refused a port that is taken.
/// </summary>
public sealed partial class LocalStackCommandTests
{
    private static readonly string LocalDll = Path.Combine(AppContext.BaseDirectory, "Jobs.Local.dll");

    [Test]
    [CancelAfter(3 * 60 * 1000)]
    public async Task Ctrl_C_in_a_terminal_stops_the_stack_and_frees_its_ports(CancellationToken cancellationToken)
    {
        var port = FreePort.Next();
        // script gives the command a pseudo-terminal; a ^C typed into it is the terminal's SIGINT.
        // The command starts with SIGINT at its default, as from a terminal's shell: a test run
        // started in the background (`dotnet test &`) passes SIGINT down ignored, and .NET keeps a
        // signal ignored at start ignored.
        using var process = Start("script", "-qfec", $"env --default-signal=INT dotnet {LocalDll} --port {port}", "/dev/null");
        var output = new StringBuilder();
        var ready = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        process.OutputDataReceived += (_, e) =>
        {
            lock (output)
            {
                output.AppendLine(e.Data);
                if (e.Data?.Contains("receive-message", StringComparison.Ordinal) == true)
                {
                    ready.TrySetResult();
                }
            }
        };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        await ready.Task.WaitAsync(TimeSpan.FromMinutes(2), cancellationToken);
        var printed = Text(output);
        var inbox = InboxUrl().Match(printed);
        Assert.That(inbox.Success, Is.True, $"the inbox queue's URL is printed with 127.0.0.1:\n{printed}");
        Assert.That(printed, Does.Contain("DynamoDB").And.Contain("SQS, SNS, S3").And.Contain("Bedrock").And.Contain($"http://127.0.0.1:{port}/"));
        var fauxqsPort = int.Parse(inbox.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
        using (var sqs = new AmazonSQSClient(new BasicAWSCredentials("x", "x"), new AmazonSQSConfig { ServiceURL = $"http://127.0.0.1:{fauxqsPort}", AuthenticationRegion = "us-east-1" }))
        {
            var attributes = await sqs.GetQueueAttributesAsync(inbox.Value, ["QueueArn"], cancellationToken);
            Assert.That(attributes.QueueARN, Does.EndWith(":job-events-inbox"), "the printed URL resolves");
        }

        Assert.That(IsFree(port), Is.False, "the API listens while the stack runs");

        var stopped = Stopwatch.StartNew();
        await process.StandardInput.WriteAsync("\u0003");
        await process.StandardInput.FlushAsync(cancellationToken);
        try
        {
            // A ^C typed in the instant the runtime is still setting up the terminal can be lost to
            // the terminal itself (its input is flushed); a user presses it again, and so does this.
            if (!await ExitsWithinAsync(process, TimeSpan.FromSeconds(5), cancellationToken))
            {
                await process.StandardInput.WriteAsync("\u0003");
                await process.StandardInput.FlushAsync(cancellationToken);
            }

            await process.WaitForExitAsync(cancellationToken).WaitAsync(TimeSpan.FromSeconds(20), cancellationToken);
        }
        catch (TimeoutException)
        {
            var tree = Describe(process.Id);
            process.Kill(entireProcessTree: true);
            Assert.Fail($"The stack did not stop within 20 s of Ctrl+C. Its processes:\n{tree}\nIts output:\n{Text(output)}");
        }

        Assert.That(stopped.Elapsed, Is.LessThan(TimeSpan.FromSeconds(15)));
        Assert.That(Text(output), Does.Contain("Stopping."));
        Assert.That(IsFree(port), Is.True, "the API's port is free again");
        Assert.That(await EventuallyFreeAsync(fauxqsPort, cancellationToken), Is.True, "fauxqs' port is free again");
    }

    [Test]
    [CancelAfter(60 * 1000)]
    public async Task A_taken_port_fails_at_once_with_one_clear_line(CancellationToken cancellationToken)
    {
        using var taken = new TcpListener(IPAddress.Loopback, 0);
        taken.Start();
        var port = ((IPEndPoint)taken.LocalEndpoint).Port;

        var started = Stopwatch.StartNew();
        using var process = Start("dotnet", LocalDll, "--port", port.ToString(System.Globalization.CultureInfo.InvariantCulture));
        var stdout = process.StandardOutput.ReadToEndAsync(cancellationToken);
        var stderr = process.StandardError.ReadToEndAsync(cancellationToken);
        await process.WaitForExitAsync(cancellationToken);

        Assert.That(process.ExitCode, Is.EqualTo(2));
        Assert.That(started.Elapsed, Is.LessThan(TimeSpan.FromSeconds(20)), "no emulator was started first");
        var lines = (await stderr).Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        Assert.That(lines, Has.Length.EqualTo(1), "one line, no stack trace");
        Assert.That(lines[0], Does.Contain($"Port {port}").And.Contain("--port"));
        Assert.That(await stdout, Is.Empty);
    }

    private static async Task<bool> ExitsWithinAsync(Process process, TimeSpan time, CancellationToken cancellationToken)
    {
        try
        {
            await process.WaitForExitAsync(cancellationToken).WaitAsync(time, cancellationToken);
            return true;
        }
        catch (TimeoutException)
        {
            return false;
        }
    }

    private static Process Start(string file, params string[] arguments)
    {
        var info = new ProcessStartInfo(file)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        // A wide, colourless terminal: one message is one line.
        info.Environment["COLUMNS"] = "400";
        info.Environment["NO_COLOR"] = "1";
        return Process.Start(info) ?? throw new InvalidOperationException($"{file} did not start.");
    }

    /// <summary>The process and its descendants with their signal masks and terminal, for a failure's message.</summary>
    private static string Describe(int root)
    {
        var text = new StringBuilder();
        var pending = new Queue<int>([root]);
        while (pending.TryDequeue(out var pid))
        {
            try
            {
                var status = File.ReadAllLines($"/proc/{pid}/status")
                    .Where(line => line.StartsWith("Name", StringComparison.Ordinal) || line.StartsWith("State", StringComparison.Ordinal) || line.StartsWith("Sig", StringComparison.Ordinal) || line.StartsWith("ShdPnd", StringComparison.Ordinal));
                var stat = File.ReadAllText($"/proc/{pid}/stat");
                text.AppendLine($"pid {pid}: {string.Join("; ", status)}; stat {stat[(stat.LastIndexOf(')') + 2)..]}");
                foreach (var task in Directory.GetDirectories($"/proc/{pid}/task"))
                {
                    var children = Path.Combine(task, "children");
                    if (File.Exists(children))
                    {
                        foreach (var child in File.ReadAllText(children).Split(' ', StringSplitOptions.RemoveEmptyEntries))
                        {
                            pending.Enqueue(int.Parse(child, System.Globalization.CultureInfo.InvariantCulture));
                        }
                    }
                }
            }
            catch (IOException ex)
            {
                text.AppendLine($"pid {pid}: {ex.Message}");
            }
        }

        return text.ToString();
    }

    private static string Text(StringBuilder output)
    {
        lock (output)
        {
            return output.ToString();
        }
    }

    private static bool IsFree(int port)
    {
        using var listener = new TcpListener(IPAddress.Loopback, port);
        try
        {
            listener.Start();
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    /// <summary>fauxqs is a child process: it may take a moment after its parent to let go of its port.</summary>
    private static async Task<bool> EventuallyFreeAsync(int port, CancellationToken cancellationToken)
    {
        for (var i = 0; i < 50 && !IsFree(port); i++)
        {
            await Task.Delay(100, cancellationToken);
        }

        return IsFree(port);
    }

    [GeneratedRegex(@"http://127\.0\.0\.1:(\d+)/\d{12}/job-events-inbox")]
    private static partial Regex InboxUrl();
}
