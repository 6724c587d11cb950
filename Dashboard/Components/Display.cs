namespace Dashboard.Components;

/// <summary>How the pages show the services' vocabulary (statuses, kinds, priorities) to people.</summary>
public static class Display
{
    /// <summary>awaiting_approval → awaiting approval.</summary>
    public static string Words(string value) => value.Replace('_', ' ');

    public static string Capitalize(string word) => word.Length == 0 ? word : char.ToUpperInvariant(word[0]) + word[1..];

    public static MudBlazor.Color ActivityStatusColor(string status) => status switch
    {
        ActivityStatus.Completed => MudBlazor.Color.Success,
        ActivityStatus.AwaitingApproval => MudBlazor.Color.Info,
        ActivityStatus.DeadLetter => MudBlazor.Color.Error,
        ActivityStatus.Rejected => MudBlazor.Color.Warning,
        _ => MudBlazor.Color.Default,
    };

    public static string FeedbackKind(string kind) => kind == "feature" ? "Feature request" : Capitalize(kind);

    public static string ActorType(string type) => type switch
    {
        "human" => "Person",
        "api_key" => "API key",
        _ => Capitalize(type),
    };
}
