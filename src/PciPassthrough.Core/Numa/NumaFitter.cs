using PciPassthrough.Core.Requests;

namespace PciPassthrough.Core.Numa;

/// <summary>
/// Fits a guest NUMA topology onto a host's cells (05 NF-8…NF-13, SIM-37, SIM-39 — Nova's
/// <c>numa_fit_instance_to_host</c>): orders the host cells, walks the ordered selections of host cells in
/// Nova's order and returns the first whose cells all fit and that passes the PCI and network-affinity checks.
/// </summary>
/// <remarks>
/// Nova's loop has observable quirks this class reproduces on purpose, because results are compared with
/// Nova's: a guest cell's requested page size is narrowed in place by the first host cell that offers one
/// (even if that cell then fails), its pinning and <c>id</c> are overwritten by every successful packing, and
/// the fit caches are keyed by (host cell id, the guest cell's <em>current</em> id) — so a guest cell that has
/// already landed somewhere is looked up under that host id. What it does not copy is the waste: selections
/// sharing a failed prefix are skipped, PCI and network checks are memoised per set of host cells, and an
/// all-<c>required</c> PCI request that no set of cells can serve is refused after one check.
/// </remarks>
public static class NumaFitter
{
    /// <returns>The fitted cells, or null when the guest does not fit.</returns>
    public static FittedNumaTopology? Fit(HostNumaTopology host, GuestNumaTopology guest, NumaFitOptions options)
    {
        ArgumentNullException.ThrowIfNull(host);
        ArgumentNullException.ThrowIfNull(guest);
        ArgumentNullException.ThrowIfNull(options);

        // NF-8
        if (host.Cells.Count == 0 || guest.Cells.Count == 0 || host.Cells.Count < guest.Cells.Count)
        {
            return null;
        }

        if (!AnyCellSetCanServePci(host, guest, options))
        {
            return null;
        }

        var ordered = host.Cells.Count > guest.Cells.Count ? Order(host.Cells, guest, options) : host.Cells;
        return new Search(host, ordered, guest, options).Run();
    }

    /// <summary>
    /// A <c>required</c> request only takes devices on the guest's host cells (04 PL-12), so if even the host cells
    /// with the most matching devices cannot hold it, every selection fails the PCI check (NF-11) and the search can
    /// be skipped: an impossible request is refused without walking the permutations.
    /// </summary>
    private static bool AnyCellSetCanServePci(HostNumaTopology host, GuestNumaTopology guest, NumaFitOptions options)
    {
        if (options.Pci is not { } pci)
        {
            return true;
        }

        long[]? perCell = null;
        foreach (var request in options.PciRequests)
        {
            // A negative count raises its pool's count when applied (§7 item 10, 04 PL-17): the requests after it
            // may find more than the cells hold now, so they have no bound.
            if (request.Count < 0)
            {
                return true;
            }

            if (request.NumaPolicy != PciNumaPolicy.Required || request.Count < 1)
            {
                continue;
            }

            perCell ??= new long[host.Cells.Count];

            for (var i = 0; i < perCell.Length; i++)
            {
                perCell[i] = pci.MatchingCountOn(request, host.Cells[i].Id);
            }

            Array.Sort(perCell);
            var best = 0L;
            for (var i = perCell.Length - guest.Cells.Count; i < perCell.Length; i++)
            {
                best += perCell[i];
            }

            if (best < request.Count)
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>
    /// NF-9: stable sorts by free memory, then CPU usage or free dedicated CPUs, then free PCI devices. Three stable
    /// sorts in a row are one sort by (last key, middle key, first key, position), done here as an insertion sort of
    /// the few cells: the filter orders the cells of every host of a fleet, so this allocates only the result.
    /// </summary>
    internal static IReadOnlyList<HostNumaCell> Order(IReadOnlyList<HostNumaCell> cells, GuestNumaTopology guest, NumaFitOptions options)
    {
        var pack = options.PackCells;
        var sharedCpus = guest.CpuPolicy is null or CpuPolicy.Shared;
        var pci = options.Pci;
        // PCI guests go to PCI-rich cells first; others keep them free. `pack` does not apply here.
        var (memoryDescending, cpuDescending, pciDescending) = (!pack, sharedCpus ? pack : !pack, options.PciRequests.Count > 0);
        var keys = new (long Pci, Int128 Cpu, Int128 Memory)[cells.Count];
        var order = new HostNumaCell[cells.Count];
        for (var i = 0; i < cells.Count; i++)
        {
            var cell = cells[i];
            keys[i] = (pci?.FreeCountOn(cell.Id) ?? 0, sharedCpus ? cell.CpuUsage : cell.FreePcpuCount, cell.AvailableMemoryMb);
            order[i] = cell;
            var key = keys[i];
            var at = i;
            for (; at > 0 && Before(key, keys[at - 1]); at--)
            {
                (keys[at], order[at]) = (keys[at - 1], order[at - 1]);
            }

            (keys[at], order[at]) = (key, cell);
        }

        return order;

        // strictly before: equal keys keep their position, as stable sorts do
        bool Before((long Pci, Int128 Cpu, Int128 Memory) a, (long Pci, Int128 Cpu, Int128 Memory) b) =>
            Compare(a.Pci, b.Pci, pciDescending) is var byPci and not 0 ? byPci < 0
            : Compare(a.Cpu, b.Cpu, cpuDescending) is var byCpu and not 0 ? byCpu < 0
            : Compare(a.Memory, b.Memory, memoryDescending) < 0;

        static int Compare(Int128 a, Int128 b, bool descending) => descending ? b.CompareTo(a) : a.CompareTo(b);
    }

    /// <summary>SIM-37: the chosen cells must serve the requested physnets and tunnels if any cell of the host could.</summary>
    internal static bool SupportsNetworks(HostNumaTopology host, IEnumerable<HostNumaCell> chosen, NetworkMetadata network)
    {
        List<HostNumaCell> chosenCells = [.. chosen];
        var missing = network.Physnets.Except(chosenCells.SelectMany(cell => cell.Physnets)).ToHashSet();
        if (missing.Count > 0 && host.Cells.Any(cell => cell.Physnets.Any(missing.Contains)))
        {
            return false;
        }

        return !network.Tunneled || chosenCells.Any(cell => cell.Tunneled) || !host.Cells.Any(cell => cell.Tunneled);
    }

    /// <summary>One run of Nova's permutation loop (05 NF-10: ordered selections of distinct host cells, in
    /// lexicographic order of list positions; guest cell i on the i-th selected), with its mutable guest-cell state.</summary>
    private sealed class Search
    {
        private readonly HostNumaTopology _host;
        private readonly IReadOnlyList<HostNumaCell> _cells;
        private readonly GuestNumaTopology _guest;
        private readonly NumaFitOptions _options;
        private readonly GuestCellState[] _state;
        private readonly Dictionary<(int Host, int Guest), bool> _cellFits = [];
        private HashSet<ulong>? _failedSets; // a passing set ends the search, so only failures are asked again
        private bool? _anyCellSetServesPci;

        public Search(HostNumaTopology host, IReadOnlyList<HostNumaCell> cells, GuestNumaTopology guest, NumaFitOptions options)
        {
            (_host, _cells, _guest, _options) = (host, cells, guest, options);
            _state = new GuestCellState[guest.Cells.Count];
            for (var i = 0; i < _state.Length; i++)
            {
                _state[i] = new GuestCellState(guest.Cells[i].Id, guest.Cells[i].PageSizeKb);
            }
        }

        public FittedNumaTopology? Run()
        {
            var depth = _guest.Cells.Count;
            var selection = new int[depth];
            var used = new bool[_cells.Count];
            for (var index = 0; index < depth; index++)
            {
                (selection[index], used[index]) = (index, true);
            }

            while (true)
            {
                var failedAt = TryCells(selection);
                if (failedAt < 0)
                {
                    if (PassesSetChecks(selection))
                    {
                        return Result(selection);
                    }

                    if (_anyCellSetServesPci == false)
                    {
                        return null;
                    }

                    failedAt = depth - 1;
                }

                // Every selection sharing the failed prefix fails at the same place: skip them all.
                if (!Advance(selection, used, failedAt))
                {
                    return null;
                }
            }
        }

        /// <summary>NF-11: checks the cells position by position as Nova does; the first failing position, or −1.</summary>
        private int TryCells(int[] selection)
        {
            for (var position = 0; position < selection.Length; position++)
            {
                var hostCell = _cells[selection[position]];
                var state = _state[position];
                var key = (hostCell.Id, state.Id);
                if (_cellFits.TryGetValue(key, out var fits))
                {
                    if (!fits)
                    {
                        return position;
                    }
                }
                else
                {
                    var reserved = _guest.EmulatorThreadsIsolated && position == 0 ? 1 : 0;
                    var outcome = CellFitter.Check(hostCell, _guest.Cells[position], state.PageSizeKb, _options.Limits, reserved);
                    state.PageSizeKb = outcome.ChosenPageSizeKb ?? state.PageSizeKb;
                    if (outcome.Pinning is { } pinning)
                    {
                        (state.Pinning, state.Id) = (pinning, hostCell.Id);
                    }

                    _cellFits[key] = outcome.Fits;
                    if (!outcome.Fits)
                    {
                        return position;
                    }
                }

                state.Id = hostCell.Id;
            }

            return -1;
        }

        /// <summary>The PCI (NF-11) and network (SIM-37) checks, which depend only on the set of host cells chosen.</summary>
        private bool PassesSetChecks(int[] selection)
        {
            var pciRequests = _options.PciRequests;
            var checkPci = pciRequests.Count > 0 && _options.Pci is not null;
            var network = _options.Limits?.Network;
            if (!checkPci && network is null)
            {
                return true;
            }

            var mask = 0UL;
            foreach (var index in selection)
            {
                mask |= index < 64 ? 1UL << index : 0;
            }

            var memoise = _cells.Count <= 64;
            if (memoise && _failedSets is { } failed && failed.Contains(mask))
            {
                return false;
            }

            var verdict = (!checkPci || ServesPci(selection)) && (network is null || SupportsNetworks(_host, selection.Select(i => _cells[i]), network));
            if (memoise && !verdict)
            {
                (_failedSets ??= []).Add(mask);
            }

            return verdict;
        }

        private bool ServesPci(int[] selection)
        {
            var pci = _options.Pci!;
            var requests = _options.PciRequests;
            var cellIds = new int[selection.Length];
            for (var position = 0; position < selection.Length; position++)
            {
                cellIds[position] = _cells[selection[position]].Id;
            }

            if (pci.Supports(requests, cellIds))
            {
                return true;
            }

            // With only `required` requests a larger set of cells can only offer more devices: if all the host's
            // cells together cannot serve them, no selection will.
            if (_anyCellSetServesPci is null && requests.All(r => r.NumaPolicy == PciNumaPolicy.Required && r.Count >= 1))
            {
                _anyCellSetServesPci = pci.Supports(requests, [.. _cells.Select(cell => cell.Id)]);
            }

            return false;
        }

        private FittedNumaTopology Result(int[] selection)
        {
            var fitted = new FittedNumaCell[selection.Length];
            for (var position = 0; position < selection.Length; position++)
            {
                var cell = _guest.Cells[position];
                var state = _state[position];
                fitted[position] = new FittedNumaCell
                {
                    GuestCell = position,
                    HostCellId = _cells[selection[position]].Id,
                    SharedCpus = cell.SharedCpus,
                    DedicatedCpus = cell.DedicatedCpus,
                    MemoryMb = cell.MemoryMb,
                    PageSizeKb = state.PageSizeKb,
                    CpuPolicy = cell.CpuPolicy,
                    CpuThreadPolicy = cell.CpuThreadPolicy,
                    CpuPinning = state.Pinning is { } pinning
                        ? cell.DedicatedCpus.Zip(pinning.HostCpus).ToDictionary(pair => pair.First, pair => pair.Second)
                        : null,
                    CpusetReserved = state.Pinning?.Reserved is { } reserved ? [.. reserved.Order()] : null,
                };
            }

            return new(fitted, _guest.EmulatorThreadsPolicy);
        }

        /// <summary>
        /// The next selection in lexicographic order whose positions up to <paramref name="position"/> differ
        /// from the current ones; false after the last.
        /// </summary>
        private bool Advance(int[] selection, bool[] used, int position)
        {
            for (var i = position + 1; i < selection.Length; i++)
            {
                used[selection[i]] = false;
            }

            for (var at = position; at >= 0; at--)
            {
                used[selection[at]] = false;
                var next = selection[at] + 1;
                while (next < _cells.Count && used[next])
                {
                    next++;
                }

                if (next < _cells.Count)
                {
                    selection[at] = next;
                    used[next] = true;
                    var fill = 0;
                    for (var i = at + 1; i < selection.Length; i++)
                    {
                        while (used[fill])
                        {
                            fill++;
                        }

                        selection[i] = fill;
                        used[fill] = true;
                    }

                    return true;
                }
            }

            return false;
        }
    }

    /// <summary>What Nova changes in place on a guest cell while it searches.</summary>
    private sealed class GuestCellState(int id, long? pageSizeKb)
    {
        public int Id { get; set; } = id;
        public long? PageSizeKb { get; set; } = pageSizeKb;
        public CpuPinner.Result? Pinning { get; set; }
    }
}
