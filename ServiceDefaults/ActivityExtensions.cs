using System.Diagnostics;

namespace Microsoft.Extensions.Hosting;

public static class ActivityExtensions
{
    /// <summary>Marks a span as failed the way the OpenTelemetry conventions ask: status, error.type and an exception event.</summary>
    public static Activity SetError(this Activity activity, Exception exception)
    {
        activity.SetStatus(ActivityStatusCode.Error, exception.Message);
        activity.SetTag("error.type", exception.GetType().FullName);
        activity.AddException(exception);
        return activity;
    }
}
