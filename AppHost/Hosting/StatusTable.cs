using System.Text;

namespace AppHost.Hosting;

public static class StatusTable
{
    public static string Render(IEnumerable<Resource> resources)
    {
        var rows = resources.Select(r => (r.Name, State: r.State.ToString(), Url: r.Url ?? "", Note: r.Note ?? "")).ToList();
        var nameWidth = Math.Max(8, rows.Max(r => r.Name.Length)) + 2;
        var stateWidth = Math.Max(5, rows.Max(r => r.State.Length)) + 2;
        var text = new StringBuilder();
        text.AppendLine();
        text.Append("Resource".PadRight(nameWidth)).Append("State".PadRight(stateWidth)).AppendLine("URL");
        text.Append(new string('-', nameWidth - 1)).Append(' ').Append(new string('-', stateWidth - 1)).Append(' ').AppendLine(new string('-', 40));
        foreach (var row in rows)
        {
            text.Append(row.Name.PadRight(nameWidth)).Append(row.State.PadRight(stateWidth))
                .AppendLine(row.Url.Length > 0 ? row.Url : row.Note);
        }

        return text.ToString();
    }
}
