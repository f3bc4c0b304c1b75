using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;

namespace PciPassthrough.Server.Tests;

/// <summary>Placement over HTTP: JSON in, status + JSON + headers out.</summary>
public sealed class PlacementClient(HttpClient http) : IDisposable
{
    public HttpClient Http => http;

    public Task<PlacementResponse> GetAsync(string path) => SendAsync(HttpMethod.Get, path);

    public Task<PlacementResponse> DeleteAsync(string path) => SendAsync(HttpMethod.Delete, path);

    public Task<PlacementResponse> PostAsync(string path, JsonNode? body) => SendAsync(HttpMethod.Post, path, body);

    public Task<PlacementResponse> PutAsync(string path, JsonNode? body) => SendAsync(HttpMethod.Put, path, body);

    public async Task<PlacementResponse> SendAsync(HttpMethod method, string path, JsonNode? body = null)
    {
        using var request = new HttpRequestMessage(method, path.TrimStart('/'));
        if (body is not null)
        {
            request.Content = new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json");
        }

        using var response = await http.SendAsync(request, TestContext.Current.CancellationToken);
        var text = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        var json = response.Content.Headers.ContentType?.MediaType == "application/json" && text.Length > 0
            ? JsonNode.Parse(text)
            : null;
        return new PlacementResponse(response.StatusCode, json, response.Headers, text) { LastModified = response.Content.Headers.LastModified };
    }

    public void Dispose() => http.Dispose();
}

public sealed record PlacementResponse(HttpStatusCode Status, JsonNode? Body, HttpResponseHeaders Headers, string Text)
{
    public DateTimeOffset? LastModified { get; init; }

    public JsonNode Json => Body ?? throw new InvalidOperationException($"{Status} without a JSON body: {Text}");

    /// <summary>The first error's <c>code</c> (PA-15).</summary>
    public string? ErrorCode => Json["errors"]![0]!["code"]?.GetValue<string>();

    public string ErrorDetail => Json["errors"]![0]!["detail"]!.GetValue<string>();

    public string? Header(string name) => Headers.TryGetValues(name, out var values) ? string.Join(",", values) : null;
}
