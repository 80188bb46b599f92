using System.Text.Json;
using Skiff.Cli.Templates;

namespace Skiff.Cli.Commands;

/// <summary>`inspect -f` (and info/version/events/volume inspect --format): one object through a Go template, as docker
/// renders inspect output — over the raw JSON, a missing key being an error — with docker's error prefix.</summary>
public static class InspectFormat
{
    public static string Render(string format, byte[] json)
    {
        using var doc = JsonDocument.Parse(json);
        try
        {
            return GoTemplate.Parse(format).Render(doc.RootElement, MissingKey.Error);
        }
        catch (TemplateException e)
        {
            throw new TemplateException("template parsing error: " + e.Message, e.Line, e.Column);
        }
    }
}
