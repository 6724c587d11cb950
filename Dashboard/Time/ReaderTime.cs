using System.Globalization;

namespace Dashboard.Time;

/// <summary>Times as a reader reads them: in their zone on the page, UTC on hover.</summary>
public static class ReaderTime
{
    public static string Local(DateTimeOffset at, TimeZoneInfo zone, string format = "yyyy-MM-dd HH:mm:ss") =>
        TimeZoneInfo.ConvertTime(at, zone).ToString(format, CultureInfo.InvariantCulture);

    public static string Utc(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss.fff 'UTC'", CultureInfo.InvariantCulture);

    /// <summary>The zone's name and its current offset, e.g. "Europe/Paris, UTC+01:00".</summary>
    public static string Name(TimeZoneInfo zone, DateTimeOffset now)
    {
        var offset = zone.GetUtcOffset(now);
        return zone == TimeZoneInfo.Utc ? "UTC" : $"{zone.Id}, UTC{(offset < TimeSpan.Zero ? "-" : "+")}{offset:hh\\:mm}";
    }
}
