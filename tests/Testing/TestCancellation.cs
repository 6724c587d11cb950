using Xunit;

namespace Testing;

/// <summary>
/// The running test's cancellation token (xUnit cancels it when the test times out or the run is stopped), imported
/// statically by every test project so each test passes <c>Ct</c> on.
/// </summary>
public static class TestCancellation
{
    public static CancellationToken Ct => TestContext.Current.CancellationToken;
}
