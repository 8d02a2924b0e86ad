using Jobs.Tests.Support;

// In no namespace, so it wraps every test of the assembly: the stack stops once, after the last test.
[SetUpFixture]
public sealed class StackTeardown
{
    [OneTimeTearDown]
    public Task StopStackAsync() => TestStack.StopAsync();
}
