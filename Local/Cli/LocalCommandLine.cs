using Jobs.Shared.Requests;
using System.CommandLine;
using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using Jobs.Local.Hosting;
using Jobs.Shared.Jobs;
using Spectre.Console;
using Jobs.Producer.Jobs;

namespace Jobs.Local.Cli;

/// <summary>The <c>Local</c> command line: run the stack, or run the demo against a fresh one.</summary>
public static class LocalCommandLine
{
    public static RootCommand Build()
    {
        var port = new Option<int>("--port") { Description = "Port of the HTTP API on 127.0.0.1 (0 picks a free one).", DefaultValueFactory = _ => 0 };
        var latency = new Option<string?>("--bedrock-latency") { Description = "Fake Bedrock latency per call in milliseconds: a fixed '2000' or a uniform range '1000-6000'." };
        var rpm = new Option<int?>("--bedrock-rpm") { Description = "Fake Bedrock requests-per-minute quota; calls beyond it get ThrottlingException." };
        var errorRates = new Option<string[]>("--bedrock-error-rate")
        {
            Description = "Share of fake Bedrock calls failing with an error type, e.g. InternalServerException=0.1 (repeatable).",
            AllowMultipleArgumentsPerToken = false,
        };
        var webhooks = new Option<string[]>("--webhook")
        {
            Description = "Subscribe an HTTP/S endpoint to the notices, delivered and signed as SNS would (repeatable).",
            AllowMultipleArgumentsPerToken = false,
        };
        var root = new RootCommand("Jobs on one machine: DynamoDB Local, fauxqs, a fake Bedrock, the API and the consumer. State lives in memory and ends with the process.")
        {
            port, latency, rpm, errorRates, webhooks,
        };
        root.SetAction(async (parse, cancellationToken) =>
        {
            var options = new LocalStackOptions { ApiPort = parse.GetValue(port), LogLevel = Microsoft.Extensions.Logging.LogLevel.Information };
            try
            {
                FakeBedrockKnobs.Apply(options.Bedrock, parse.GetValue(latency), parse.GetValue(rpm), parse.GetValue(errorRates) ?? []);
            }
            catch (ArgumentException ex)
            {
                AnsiConsole.MarkupLine($"[red]{Markup.Escape(ex.Message)}[/]");
                return 2;
            }

            if (PortInUse(options.ApiPort) is { } reason)
            {
                // One plain line on stderr, unwrapped, as a script expects an error.
                await Console.Error.WriteLineAsync($"Port {options.ApiPort} on 127.0.0.1 is not free ({reason}); choose another with --port, or 0 for any.").ConfigureAwait(false);
                return 2;
            }

            // Ctrl+C and SIGTERM stop the stack here, taken before the runtime's default (an abrupt exit).
            using var stopping = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            void Stop(PosixSignalContext signal)
            {
                signal.Cancel = true;
                stopping.Cancel();
            }

            using var interrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, Stop);
            using var terminate = PosixSignalRegistration.Create(PosixSignal.SIGTERM, Stop);
            await using var stack = await LocalStack.StartAsync(options, new SpectreProgress(), stopping.Token).ConfigureAwait(false);
            PrintEndpoints(stack);
            foreach (var webhook in parse.GetValue(webhooks) ?? [])
            {
                if (!Uri.TryCreate(webhook, UriKind.Absolute, out var endpoint) || (endpoint.Scheme != Uri.UriSchemeHttp && endpoint.Scheme != Uri.UriSchemeHttps))
                {
                    await Console.Error.WriteLineAsync($"--webhook {webhook} is not an http:// or https:// URL.").ConfigureAwait(false);
                    return 2;
                }

                var (delivery, _) = await stack.SubscribeWebhookAsync(endpoint, stopping.Token).ConfigureAwait(false);
                AnsiConsole.MarkupLine($"Webhook {Markup.Escape(webhook)}: confirmation sent until visited; messages signed by {Markup.Escape(delivery.SigningBaseAddress.ToString())} (receiver --trust-signer {Markup.Escape(delivery.SigningBaseAddress.ToString())})");
            }

            try
            {
                await Task.Delay(Timeout.Infinite, stopping.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                AnsiConsole.MarkupLine("Stopping.");
            }

            return 0;
        });

        root.Subcommands.Add(DemoCommand());
        root.Subcommands.Add(Soak.SoakCommand.Build());
        root.Subcommands.Add(Bench.BenchCommand.Build());
        root.Subcommands.Add(Client.JobsClientCommand.Build());
        root.Subcommands.Add(Receiver.ReceiverCommand.Build());
        return root;
    }

    /// <summary>Everything a user may point a tool at, with addresses that resolve anywhere (127.0.0.1, not *.localhost).</summary>
    private static void PrintEndpoints(LocalStack stack)
    {
        var fauxqs = stack.Environment["AWS_ENDPOINT_URL_SQS"].TrimEnd('/');
        var inbox = fauxqs + new Uri(stack.InboxQueueUrl).AbsolutePath;
        var grid = new Grid().AddColumn(new GridColumn().NoWrap()).AddColumn();
        grid.AddRow("[bold]Console[/]", $"[bold]open {stack.Api.BaseAddress}[/] in a browser");
        grid.AddRow("[bold]API[/]", $"[bold]{stack.Api.BaseAddress}[/]  (Ctrl+C stops everything; nothing is kept)");
        grid.AddRow("DynamoDB", $"{Markup.Escape(stack.Environment["AWS_ENDPOINT_URL_DYNAMODB"])}  table {Markup.Escape(stack.Options.TableName)}");
        grid.AddRow("SQS, SNS, S3", $"{Markup.Escape(fauxqs)}  queue {Markup.Escape(stack.Options.QueueName)}, topic {Markup.Escape(stack.Options.TopicName)}, bucket {Markup.Escape(stack.Options.BucketName)}");
        grid.AddRow("Bedrock (fake)", Markup.Escape(stack.Bedrock.Endpoint.ToString()));
        grid.AddRow("Notices", $"SQS queue {Markup.Escape(inbox)}");
        AnsiConsole.Write(grid);
        AnsiConsole.MarkupLine("Read notices with any SQS client (credentials are not checked), e.g.");
        AnsiConsole.MarkupLine($"  AWS_ACCESS_KEY_ID=x AWS_SECRET_ACCESS_KEY=x aws --region {Markup.Escape(stack.Options.Region)} --endpoint-url {Markup.Escape(fauxqs)} sqs receive-message --queue-url {Markup.Escape(inbox)}");
    }

    /// <summary>Why <paramref name="port"/> cannot be listened on, or null when it can (0 always can).</summary>
    private static string? PortInUse(int port)
    {
        if (port == 0)
        {
            return null;
        }

        var listener = new TcpListener(IPAddress.Loopback, port);
        try
        {
            listener.Start();
            return null;
        }
        catch (SocketException ex)
        {
            return ex.Message;
        }
        finally
        {
            listener.Stop();
        }
    }

    private static Command DemoCommand()
    {
        var prompt = new Argument<string>("prompt") { Description = "What to draw." };
        var output = new Option<FileInfo>("--out") { Description = "Where to write the PNG.", DefaultValueFactory = _ => new FileInfo("image.png") };
        var model = new Option<string?>("--model") { Description = "Model id (default: the catalog's default)." };
        var aspectRatio = new Option<string?>("--aspect-ratio") { Description = "Aspect ratio such as 1:1 or 16:9." };
        var seed = new Option<long?>("--seed") { Description = "Seed; the same prompt and seed give the same image." };
        var demo = new Command("demo", "Start the local stack, submit one job through the HTTP API, follow it, save the PNG and print the SNS notice.")
        {
            prompt, output, model, aspectRatio, seed,
        };
        demo.SetAction(async (parse, cancellationToken) =>
        {
            try
            {
                return await DemoRunner.RunAsync(
                    new JobSubmission
                    {
                        Prompt = parse.GetValue(prompt),
                        Model = parse.GetValue(model),
                        AspectRatio = parse.GetValue(aspectRatio),
                        Seed = parse.GetValue(seed),
                    },
                    parse.GetValue(output)!,
                    cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                AnsiConsole.MarkupLine($"[red]Demo failed:[/] {Markup.Escape(ex.Message)}");
                return 1;
            }
        });
        return demo;
    }
}
