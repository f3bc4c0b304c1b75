namespace PciPassthrough.Server.Tests.Persistence;

/// <summary>The <see cref="ConcurrencyRaces"/> on one server with its SQLite file, two concurrent clients.</summary>
public sealed class SqliteConcurrencyTests(PlacementServerFixture server) : IClassFixture<PlacementServerFixture>
{
    [Fact]
    public Task TwoWriters_ClaimingTwoProviders_NeverDoubleBook() =>
        WithTwoClientsAsync(ConcurrencyRaces.ClaimsNeverDoubleBookAsync);

    [Fact]
    public Task TwoWriters_SameConsumerGeneration_OneWinsOneGets409() =>
        WithTwoClientsAsync(ConcurrencyRaces.SameConsumerGenerationHasOneWinnerAsync);

    [Fact]
    public Task TwoWriters_SameProviderGeneration_OneWinsOneGets409() =>
        WithTwoClientsAsync(ConcurrencyRaces.SameProviderGenerationHasOneWinnerAsync);

    private async Task WithTwoClientsAsync(Func<PlacementClient, IReadOnlyList<PlacementClient>, Task> race)
    {
        using var setup = server.Client();
        using var first = server.Client();
        using var second = server.Client();
        await race(setup, [first, second]);
    }
}
