using Jobs.Local.Cli;

return await LocalCommandLine.Build().Parse(args).InvokeAsync().ConfigureAwait(false);
