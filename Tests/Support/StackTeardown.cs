using Jobs.Local.LambdaRuntime;
using Jobs.Tests.Support;

// In no namespace, so it wraps every test of the assembly: the Lambda packages start building at
// once (at the lowest CPU priority, while tests wait on emulators), and the stack stops once, after
// the last test.
[SetUpFixture]
public sealed class StackTeardown
{
    [OneTimeSetUp]
    public void StartBuildingPackages() => LambdaPackages.StartBuilding();

    [OneTimeTearDown]
    public Task StopStackAsync() => TestStack.StopAsync();
}
