using System.Text.Json.Nodes;
using PciPassthrough.Host.Agent;

namespace PciPassthrough.Cli.Commands;

/// <summary>Turns what the operator typed into what the API wants: servers and ports are addressed by id, but a
/// name is accepted when exactly one of the caller's servers (ports) has it.</summary>
internal sealed class ControllerLookup(ControllerClient client)
{
    /// <summary>The id of the server or port <paramref name="nameOrId"/> in <paramref name="collection"/>
    /// (<c>servers</c>, <c>ports</c>).</summary>
    /// <exception cref="ControllerRefusalException">No or several of them have that name.</exception>
    public async Task<string> IdAsync(string collection, string nameOrId, CancellationToken cancellationToken)
    {
        if (Guid.TryParse(nameOrId, out _))
        {
            return nameOrId;
        }

        var response = await client.SendAsync(HttpMethod.Get, $"v1/{collection}", null, cancellationToken);
        if (!response.IsSuccess)
        {
            throw new ControllerRefusalException($"cannot list {collection} to find '{nameOrId}': {response.ErrorMessage}");
        }

        var ids = (response.Json.Field(collection) as JsonArray ?? [])
            .Where(item => item.Field("name").AsText() == nameOrId)
            .Select(item => item.Field("id").AsText())
            .OfType<string>()
            .ToList();
        var singular = collection.TrimEnd('s');
        return ids.Count switch
        {
            1 => ids[0],
            0 => throw new ControllerRefusalException($"no {singular} has the id or name '{nameOrId}' (see 'pcictl {singular} list')"),
            _ => throw new ControllerRefusalException(
                $"{ids.Count} {collection} are named '{nameOrId}': give the id instead ({string.Join(", ", ids)})"),
        };
    }
}
