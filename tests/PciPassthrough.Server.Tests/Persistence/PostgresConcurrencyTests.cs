namespace PciPassthrough.Server.Tests.Persistence;

/// <summary>The <see cref="ConcurrencyRaces"/> on two replicas (two servers, each its own Kestrel) sharing one
/// PostgreSQL database: the generations in the database, not anything in-process, decide who wins.</summary>
public sealed class PostgresConcurrencyTests
{
    [Fact]
    public Task TwoReplicas_ClaimingTwoProviders_NeverDoubleBook() =>
        OnTwoReplicasAsync(ConcurrencyRaces.ClaimsNeverDoubleBookAsync);

    [Fact]
    public Task TwoReplicas_SameConsumerGeneration_OneWinsOneGets409() =>
        OnTwoReplicasAsync(ConcurrencyRaces.SameConsumerGenerationHasOneWinnerAsync);

    [Fact]
    public Task TwoReplicas_SameProviderGeneration_OneWinsOneGets409() =>
        OnTwoReplicasAsync(ConcurrencyRaces.SameProviderGenerationHasOneWinnerAsync);

    private static async Task OnTwoReplicasAsync(Func<PlacementClient, IReadOnlyList<PlacementClient>, Task> race)
    {
        await using var database = await PostgresTestDatabase.CreateAsync();
        await using var first = await PlacementServerFixture.StartAsync(database.ConnectionString);
        await using var second = await PlacementServerFixture.StartAsync(database.ConnectionString);
        using var setup = first.Client();
        using var onFirst = first.Client();
        using var onSecond = second.Client();
        await race(setup, [onFirst, onSecond]);
    }
}
