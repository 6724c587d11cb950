using Microsoft.Extensions.AI;

namespace Api.Pipeline;

/// <summary>One step of an activity, done by an agent with a role, through one LLM call.</summary>
public sealed record AgentStage(string Name, string AgentRole, string Instructions)
{
    public IReadOnlyList<ChatMessage> Prompt(ClaimedActivity activity) =>
    [
        new(ChatRole.System, $"{AgentStages.Preamble}\nYou are the {AgentRole}. {Instructions}"),
        new(ChatRole.User, activity.Output is { Length: > 0 } previous
            ? $"{activity.Input}\n\nWork so far:\n{previous}"
            : activity.Input),
    ];
}

/// <summary>The kinds of activity tenants can create and the stages each goes through.</summary>
public static class AgentStages
{
    // Shared by every agent, so providers serve it from their prompt cache.
    public const string Preamble =
        "You are one agent in a content team working for a business customer. Be accurate, concise and specific; " +
        "never invent statistics, quotes or sources; mark anything uncertain as such. Write in plain English for a " +
        "professional audience, use short paragraphs or bullet points, and keep every answer under 300 words. " +
        "A human reviews your team's final output before anything is published.";

    private static readonly AgentStage Research = new("research", "researcher",
        "Research the request: list the most relevant topics, angles and open questions, with one line each.");

    private static readonly AgentStage Draft = new("draft", "copywriter",
        "Write a first draft from the research: a headline, an introduction and three short sections.");

    private static readonly AgentStage Review = new("review", "reviewer",
        "Review the work so far: fix errors, flag risky claims, and give the final version for human approval.");

    public static readonly IReadOnlyDictionary<string, AgentStage[]> ByKind = new Dictionary<string, AgentStage[]>
    {
        ["research_topics"] = [Research, Review],
        ["draft_article"] = [Research, Draft, Review],
    };

    public static readonly string[] Kinds = [.. ByKind.Keys];
}
