using System.Net;
using System.Text.Json.Nodes;

namespace PciPassthrough.Server.Tests.Persistence;

/// <summary>When PostgreSQL's one-statement claim declines a new consumer (inventory missing, min/max/step, capacity),
/// the general path answers: the same 409s, word for word, as SQLite (which never takes the one-statement path)
/// gives to the same requests on the same providers, and nothing is written.</summary>
public sealed class DeclinedClaimTests
{
    private const string Steps = "00000000-0000-4000-8000-00000000000a", Ratio = "00000000-0000-4000-8000-00000000000b";

    private static readonly (string Version, (string Provider, string Class, int Amount)[] Amounts)[] _claims =
    [
        ("latest", [(Steps, "SRIOV_NET_VF", 1)]),
        ("latest", [(Steps, "VCPU", 2)]),
        ("latest", [(Steps, "VCPU", 10)]),
        ("latest", [(Steps, "VCPU", 5)]),
        ("latest", [(Ratio, "VCPU", 8)]),
        ("latest", [(Ratio, "SRIOV_NET_VF", 16)]),
        ("latest", [(Steps, "VCPU", 4), (Ratio, "SRIOV_NET_VF", 16)]),
        ("1.27", [(Ratio, "VCPU", 8)]),

        // Steps lacks SRIOV_NET_VF but has VCPU, which the request wants only of Ratio: only the missing class is named
        ("latest", [(Steps, "SRIOV_NET_VF", 1), (Ratio, "VCPU", 1)]),
    ];

    [Fact]
    public async Task Postgres_ClaimsTheOneStatementPathDeclines_AnswerAsOnSqlite()
    {
        await using var postgres = await PostgresTestDatabase.CreateAsync();
        using var sqlite = new SqliteTestDatabase();
        var onSqlite = await AnswersAsync(sqlite.ConnectionString);
        var onPostgres = await AnswersAsync(postgres.ConnectionString);

        onPostgres.ShouldBe(onSqlite);
        const string Prefix = "409 Unable to allocate inventory: ";
        const string Constraints = "The requested amount would violate inventory constraints:";
        onSqlite.ShouldBe([
            $"{Prefix}Inventory for 'SRIOV_NET_VF' on resource provider '{Steps}' invalid.",
            $"{Prefix}Unable to create allocation for 'VCPU' on resource provider '{Steps}'. {Constraints} 2 is not between min_unit 4 and max_unit 8 in steps of 2.",
            $"{Prefix}Unable to create allocation for 'VCPU' on resource provider '{Steps}'. {Constraints} 10 is not between min_unit 4 and max_unit 8 in steps of 2.",
            $"{Prefix}Unable to create allocation for 'VCPU' on resource provider '{Steps}'. {Constraints} 5 is not between min_unit 4 and max_unit 8 in steps of 2.",
            $"{Prefix}Unable to create allocation for 'VCPU' on resource provider '{Ratio}'. The requested amount would exceed the capacity: 8 requested, 5 used of 12.",
            $"{Prefix}Unable to create allocation for 'SRIOV_NET_VF' on resource provider '{Ratio}'. The requested amount would exceed the capacity: 16 requested, 0 used of 15.",
            $"{Prefix}Unable to create allocation for 'SRIOV_NET_VF' on resource provider '{Ratio}'. The requested amount would exceed the capacity: 16 requested, 0 used of 15.",
            $"{Prefix}Unable to create allocation for 'VCPU' on resource provider '{Ratio}'. The requested amount would exceed the capacity: 8 requested, 5 used of 12.",
            $"{Prefix}Inventory for 'SRIOV_NET_VF' on resource provider '{Steps}' invalid.",
        ]);
    }

    /// <summary>Each claim of <see cref="_claims"/> by a new consumer, as "status detail"; checks that none bumped a
    /// provider.</summary>
    private static async Task<List<string>> AnswersAsync(string database)
    {
        await using var server = await PlacementServerFixture.StartAsync(database);
        using var client = server.Client();
        await CreateStepsAndRatioAsync(client, Steps, Ratio, PlacementSetup.NewUuid());
        var generations = await GenerationsAsync(client);

        var answers = new List<string>();
        foreach (var (version, amounts) in _claims)
        {
            using var versioned = server.Client(version);
            var body = PlacementSetup.Allocation(null, amounts);
            if (version != "latest")
            {
                body.Remove("consumer_generation");
                body.Remove("consumer_type");
            }

            var response = await versioned.PutAsync($"allocations/{PlacementSetup.NewUuid()}", body);
            answers.Add($"{(int)response.Status} {(response.Status == HttpStatusCode.NoContent ? "" : response.ErrorDetail)}");
        }

        (await GenerationsAsync(client)).ShouldBe(generations);
        return answers;
    }

    private static async Task<int[]> GenerationsAsync(PlacementClient client) =>
    [
        (await client.GetAsync($"resource_providers/{Steps}")).Json["generation"]!.GetValue<int>(),
        (await client.GetAsync($"resource_providers/{Ratio}")).Json["generation"]!.GetValue<int>(),
    ];

    /// <summary>Provider <paramref name="steps"/>: VCPU 16, 4 to 8 in steps of 2. Provider <paramref name="ratio"/>: VCPU
    /// 10, 2 reserved, ratio 1.55 (capacity (10 − 2) × 1.55 = 12.4 → 12), 5 used by <paramref name="consumer"/>;
    /// SRIOV_NET_VF 10, ratio 1.55 (15.5 → 15), up to 20 at once.</summary>
    internal static async Task CreateStepsAndRatioAsync(PlacementClient client, string steps, string ratio, string consumer)
    {
        foreach (var uuid in new[] { steps, ratio })
        {
            (await client.PostAsync("resource_providers", new JsonObject { ["name"] = $"declined-{uuid}", ["uuid"] = uuid }))
                .Status.ShouldBeOneOf(HttpStatusCode.OK, HttpStatusCode.Created);
        }

        await client.SetNewInventoriesAsync(steps, ("VCPU", PlacementSetup.Inventory(16, min: 4, max: 8, step: 2)));
        await client.SetNewInventoriesAsync(ratio, ("VCPU", PlacementSetup.Inventory(10, reserved: 2, ratio: 1.55)),
            ("SRIOV_NET_VF", PlacementSetup.Inventory(10, max: 20, ratio: 1.55)));
        (await client.PutAsync($"allocations/{consumer}", PlacementSetup.Allocation(null, (ratio, "VCPU", 5))))
            .Status.ShouldBe(HttpStatusCode.NoContent);
    }
}
