using System.Text.Json;
using Skiff.Cli.Templates;

namespace Skiff.Cli.Commands;

/// <summary>`inspect -f` (and info/version/events/volume inspect --format): one object through a Go template with
/// docker's error prefix. Inspect output is rendered over the raw JSON with a missing key being an error, as docker
/// does; verbs whose docker templates run over typed structs (events, info, version) print "&lt;no value&gt;" for a
/// missing map key instead (<paramref name="missingKeyIsError"/> false).</summary>
public static class InspectFormat
{
    public static string Render(string format, byte[] json, bool missingKeyIsError = true)
    {
        using var doc = JsonDocument.Parse(json);
        try
        {
            return GoTemplate.Parse(format).Render(doc.RootElement, missingKeyIsError ? MissingKey.Error : MissingKey.Default);
        }
        catch (TemplateException e)
        {
            throw new TemplateException("template parsing error: " + e.Message, e.Line, e.Column);
        }
    }
}
