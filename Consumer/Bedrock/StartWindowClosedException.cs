namespace Jobs.Consumer.Bedrock;

/// <summary>The caller's window for starting a Bedrock call closed before the next try: no call was made.</summary>
public sealed class StartWindowClosedException() : Exception("No time is left to start another Bedrock call in this invocation.");
