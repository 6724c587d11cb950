namespace Observability.Tests;

public enum QueryKind
{
    /// <summary>A dashboard panel's target: must return data when its metrics are exported.</summary>
    Panel,

    /// <summary>A template variable's label_values(...): must find the label when its metrics are exported.</summary>
    Variable,

    /// <summary>A dashboard annotation or an alert rule: must parse; empty is its healthy state.</summary>
    Condition,
}

/// <summary>One query the Grafana stack runs: where it is written, against which datasource, and its text.</summary>
public sealed record Query(string Where, QueryKind Kind, string DatasourceUid, string Expression)
{
    public override string ToString() => $"{Where}: {Expression}";
}
