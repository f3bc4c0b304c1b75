using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using PciPassthrough.Core.Config;

namespace PciPassthrough.Host.Agent;

/// <summary>
/// A thin client of the controller's REST API (<c>/v1</c>, described at <c>/openapi/v1.json</c>): JSON in, the status and
/// the JSON (or text) out. It never interprets an answer; callers decide what a status means for them.
/// </summary>
public sealed class ControllerClient : IDisposable
{
    /// <summary>Where <c>pcictl serve</c> listens by default.</summary>
    public const string DefaultUrl = "http://127.0.0.1:8780";

    // a repeated key is refused while parsing, not when a reader meets it
    private static readonly JsonDocumentOptions _checked = new() { AllowDuplicateProperties = false };

    private readonly HttpClient _http;

    /// <param name="controller">The controller's base URL (what <c>pcictl serve</c> printed).</param>
    /// <param name="token">The <c>X-Auth-Token</c> to send.</param>
    /// <param name="timeout">How long one request may take before the controller counts as unreachable.</param>
    public ControllerClient(Uri controller, string token, TimeSpan? timeout = null)
    {
        ArgumentNullException.ThrowIfNull(controller);
        Controller = controller;
        _http = new HttpClient
        {
            BaseAddress = controller.AbsoluteUri.EndsWith('/') ? controller : new Uri(controller.AbsoluteUri + "/"),
            Timeout = timeout ?? TimeSpan.FromSeconds(30),
        };
        _http.DefaultRequestHeaders.Add("X-Auth-Token", token);
        _http.DefaultRequestHeaders.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
    }

    public Uri Controller { get; }

    /// <summary>Sends one request; <paramref name="path"/> is relative to the base URL (e.g. <c>v1/flavors</c>).</summary>
    /// <exception cref="ControllerUnreachableException">No answer: connection refused, DNS, timeout.</exception>
    public async Task<ControllerResponse> SendAsync(
        HttpMethod method, string path, JsonNode? body, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(method, path);
        if (body is not null)
        {
            request.Content = new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json");
        }

        try
        {
            using var response = await _http.SendAsync(request, cancellationToken);
            var text = await response.Content.ReadAsStringAsync(cancellationToken);
            return new ControllerResponse(response.StatusCode, ParseJson(text), text);
        }
        catch (HttpRequestException e)
        {
            throw new ControllerUnreachableException(Controller, e.Message, e);
        }
        catch (TaskCanceledException e) when (!cancellationToken.IsCancellationRequested)
        {
            throw new ControllerUnreachableException(Controller, $"no answer within {_http.Timeout.TotalSeconds:0} s", e);
        }
    }

    public void Dispose() => _http.Dispose();

    /// <summary>The body as JSON, or null when it is none: besides malformed text, JSON that .NET reads only lazily and
    /// then throws on (a lone surrogate escape such as <c>"\ud800"</c>, a repeated key) counts as not JSON.</summary>
    private static JsonNode? ParseJson(string text)
    {
        if (text.Length == 0)
        {
            return null;
        }

        try
        {
            using var document = JsonDocument.Parse(text, _checked);
            return JsonStrings.FirstUnreadable(document.RootElement, "answer") is null ? JsonNode.Parse(text) : null;
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException)
        {
            return null;
        }
    }
}
