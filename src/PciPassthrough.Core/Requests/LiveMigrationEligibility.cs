using PciPassthrough.Core.Errors;

namespace PciPassthrough.Core.Requests;

/// <summary>03 RQ-30: may a server with these PCI requests be live-migrated?</summary>
public static class LiveMigrationEligibility
{
    private const string LiveMigratableKey = "live_migratable";

    /// <summary>
    /// Null when every spec of every alias request asks for <c>live_migratable = "true"</c> devices; else the
    /// <c>MigrationPreCheckError</c> naming the first alias that does not. Port requests are not judged here (the
    /// network service decides).
    /// </summary>
    public static PciError? Check(IEnumerable<PciRequest> requests)
    {
        ArgumentNullException.ThrowIfNull(requests);
        var blocking = requests.FirstOrDefault(r => !r.IsFromPort
            && r.Specs.Any(s => !s.TryGetValue(LiveMigratableKey, out var value) || value != "true"));
        return blocking is null ? null : new PciError(PciErrorKinds.MigrationPreCheckError,
            $"PCI alias '{blocking.AliasName}' does not explicitly request live-migratable devices: every spec of the " +
            $"alias needs \"{LiveMigratableKey}\": \"true\" in [pci] alias before the server can be live-migrated.");
    }
}
