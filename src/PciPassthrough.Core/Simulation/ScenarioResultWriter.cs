using System.Buffers;
using System.Globalization;
using System.Text.Json;
using PciPassthrough.Core.Errors;
using PciPassthrough.Core.Scheduling;
using PciPassthrough.Core.Simulation.Results;

namespace PciPassthrough.Core.Simulation;

/// <summary>
/// Writes a <see cref="ScenarioResult"/> in the exact shape of scenario-format §4. Rejection reasons go under the
/// <c>explain</c> key, which comparison ignores (§4.1); no other key is added.
/// </summary>
public static class ScenarioResultWriter
{
    private static readonly JsonWriterOptions _indented = new() { Indented = true };
    private static readonly JsonWriterOptions _compact = new() { Indented = false };

    /// <summary>The result as a new array; <see cref="Write(IBufferWriter{byte}, ScenarioResult, bool)"/> into a reused
    /// buffer avoids the copy when many results are written.</summary>
    public static byte[] ToUtf8Bytes(ScenarioResult result, bool indented = true)
    {
        var buffer = new ArrayBufferWriter<byte>();
        Write(buffer, result, indented);
        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>Appends the result and a final newline to <paramref name="output"/>.</summary>
    public static void Write(IBufferWriter<byte> output, ScenarioResult result, bool indented = true)
    {
        ArgumentNullException.ThrowIfNull(output);
        using (var writer = new Utf8JsonWriter(output, indented ? _indented : _compact))
        {
            Write(writer, result);
        }

        output.GetSpan(1)[0] = (byte)'\n';
        output.Advance(1);
    }

    public static void Write(Utf8JsonWriter json, ScenarioResult result)
    {
        json.WriteStartObject();
        json.WriteStartObject("engine");
        json.WriteString("name", "pcictl");
        json.WriteString("release", result.Release == NovaRelease.Zed ? "zed" : "latest");
        json.WriteString("host_order", "ascending ordinal host name");
        json.WriteEndObject();
        json.WriteString("scenario", result.Scenario);
        json.WriteStartObject("config");
        WriteAlias(json, result.Alias);
        json.WriteBoolean("report_in_placement", result.ReportInPlacement);
        json.WriteEndObject();
        json.WriteStartObject("hosts");
        foreach (var host in result.Hosts)
        {
            json.WritePropertyName(host.Name);
            WriteHost(json, host);
        }

        json.WriteEndObject();
        json.WriteStartArray("requests");
        foreach (var step in result.Requests)
        {
            switch (step)
            {
                case BootResult boot:
                    WriteBoot(json, boot);
                    break;
                case DeleteResult delete:
                    WriteDelete(json, delete);
                    break;
            }
        }

        json.WriteEndArray();
        json.WriteStartObject("final_state");
        foreach (var state in result.FinalState)
        {
            json.WritePropertyName(state.Name);
            WriteFinalState(json, state);
        }

        json.WriteEndObject();
        json.WriteEndObject();
    }

    private static void WriteAlias(Utf8JsonWriter json, AliasReport alias)
    {
        json.WriteStartObject("alias");
        json.WriteBoolean("ok", alias.Ok);
        WriteError(json, "error", alias.Error);
        if (alias.Aliases is { } entries)
        {
            json.WriteStartObject("aliases");
            foreach (var entry in entries)
            {
                json.WriteStartObject(entry.Name);
                json.WriteString("numa_policy", entry.NumaPolicy);
                json.WriteStartArray("specs");
                foreach (var spec in entry.Specs)
                {
                    spec.WriteTo(json);
                }

                json.WriteEndArray();
                json.WriteEndObject();
            }

            json.WriteEndObject();
        }
        else
        {
            json.WriteNull("aliases");
        }

        json.WriteEndObject();
    }

    private static void WriteHost(Utf8JsonWriter json, HostReport host)
    {
        json.WriteStartObject();
        json.WriteBoolean("ok", host.Ok);
        WriteError(json, "error", host.Error);
        WriteStringOrNull(json, "error_stage", host.ErrorStage);
        json.WriteStartObject("device_spec");
        WriteStrings(json, "raw", host.DeviceSpecRaw);
        if (host.Specs is { } specs)
        {
            json.WriteStartArray("specs");
            foreach (var spec in specs)
            {
                WriteSpec(json, spec);
            }

            json.WriteEndArray();
        }
        else
        {
            json.WriteNull("specs");
        }

        json.WriteEndObject();
        WriteDevices(json, "tracked_devices", host.TrackedDevices);
        json.WriteStartArray("ignored_devices");
        foreach (var ignored in host.IgnoredDevices)
        {
            json.WriteStartObject();
            json.WriteString("address", ignored.Address);
            json.WriteString("reason", ignored.Reason);
            json.WriteEndObject();
        }

        json.WriteEndArray();
        WritePools(json, host.Pools);
        WriteCells(json, host.NumaCells);
        json.WriteStartObject("placement_inventory");
        foreach (var inventory in host.PlacementInventory)
        {
            json.WriteStartObject(inventory.ResourceClass);
            json.WriteNumber("total", inventory.Total);
            json.WriteNumber("reserved", inventory.Reserved);
            json.WriteNumber("allocation_ratio", inventory.AllocationRatio);
            json.WriteNumber("max_unit", inventory.MaxUnit);
            json.WriteEndObject();
        }

        json.WriteEndObject();
        WritePlacement(json, host.Placement);
        json.WriteEndObject();
    }

    private static void WriteSpec(Utf8JsonWriter json, SpecReport spec)
    {
        json.WriteStartObject();
        json.WriteNumber("index", spec.Index);
        WriteNumberOrNull(json, "config_index", spec.ConfigIndex);
        json.WriteString("vendor_id", spec.VendorId);
        json.WriteString("product_id", spec.ProductId);
        WriteStringOrNull(json, "devname", spec.Devname);
        if (spec.Address is { } address)
        {
            json.WriteStartObject("address");
            json.WriteString("kind", address.Kind);
            json.WriteString("domain", address.Domain);
            json.WriteString("bus", address.Bus);
            json.WriteString("slot", address.Slot);
            json.WriteString("function", address.Function);
            json.WriteBoolean("is_physical_function", address.IsPhysicalFunction);
            json.WriteEndObject();
        }
        else
        {
            json.WriteNull("address");
        }

        json.WritePropertyName("tags");
        spec.Tags.WriteTo(json);
        json.WriteEndObject();
    }

    private static void WriteDevices(Utf8JsonWriter json, string name, IReadOnlyList<TrackedDeviceReport> devices)
    {
        json.WriteStartArray(name);
        foreach (var device in devices)
        {
            json.WriteStartObject();
            json.WriteString("address", device.Address);
            json.WriteString("vendor_id", device.VendorId);
            json.WriteString("product_id", device.ProductId);
            json.WriteString("dev_type", device.DevType);
            WriteNumberOrNull(json, "numa_node", device.NumaNode);
            WriteStringOrNull(json, "parent_addr", device.ParentAddr);
            json.WriteString("status", device.Status);
            WriteStringOrNull(json, "instance", device.Instance);
            WriteNumberOrNull(json, "spec_index", device.SpecIndex);
            json.WritePropertyName("tags");
            if (device.Tags is { } tags)
            {
                tags.WriteTo(json);
            }
            else
            {
                json.WriteNullValue();
            }

            json.WriteEndObject();
        }

        json.WriteEndArray();
    }

    private static void WritePools(Utf8JsonWriter json, IReadOnlyList<PoolReport> pools)
    {
        json.WriteStartArray("pools");
        foreach (var pool in pools)
        {
            json.WriteStartObject();
            json.WritePropertyName("keys");
            pool.Keys.WriteTo(json);
            json.WriteNumber("count", pool.Count);
            WriteStrings(json, "devices", pool.Devices);
            json.WriteEndObject();
        }

        json.WriteEndArray();
    }

    private static void WriteCells(Utf8JsonWriter json, IReadOnlyList<HostCellReport> cells)
    {
        json.WriteStartArray("numa_cells");
        foreach (var cell in cells)
        {
            json.WriteStartObject();
            json.WriteNumber("id", cell.Id);
            WriteNumberOrNull(json, "socket", cell.Socket);
            WriteNumbers(json, "cpus", cell.Cpus);
            WriteNumbers(json, "pcpus", cell.Pcpus);
            json.WriteNumber("memory_mb", cell.MemoryMb);
            json.WriteNumber("cpu_usage", cell.CpuUsage);
            json.WriteNumber("memory_usage_mb", cell.MemoryUsageMb);
            WriteNumbers(json, "pinned_cpus", cell.PinnedCpus);
            json.WriteStartArray("hugepages");
            foreach (var pages in cell.HugePages)
            {
                json.WriteStartObject();
                json.WriteNumber("size_kb", pages.SizeKb);
                json.WriteNumber("total", pages.Total);
                json.WriteNumber("used", pages.Used);
                json.WriteNumber("reserved", pages.Reserved);
                json.WriteEndObject();
            }

            json.WriteEndArray();
            json.WriteEndObject();
        }

        json.WriteEndArray();
    }

    private static void WritePlacement(Utf8JsonWriter json, PlacementReport? placement)
    {
        if (placement is null)
        {
            json.WriteNull("placement");
            return;
        }

        json.WriteStartObject("placement");
        json.WriteString("root", placement.Root);
        json.WriteStartArray("providers");
        foreach (var provider in placement.Providers)
        {
            json.WriteStartObject();
            json.WriteString("name", provider.Name);
            json.WriteString("parent", provider.Parent);
            json.WriteStartObject("inventories");
            foreach (var inventory in provider.Inventories)
            {
                json.WriteStartObject(inventory.ResourceClass);
                json.WriteNumber("total", inventory.Total);
                json.WriteNumber("max_unit", inventory.MaxUnit);
                json.WriteNumber("used", inventory.Used);
                json.WriteEndObject();
            }

            json.WriteEndObject();
            WriteStrings(json, "traits", provider.Traits);
            json.WriteStartObject("consumers");
            foreach (var (server, amount) in provider.Consumers)
            {
                json.WriteNumber(server, amount);
            }

            json.WriteEndObject();
            json.WriteEndObject();
        }

        json.WriteEndArray();
        WriteError(json, "error", placement.Error);
        json.WriteEndObject();
    }

    private static void WriteBoot(Utf8JsonWriter json, BootResult boot)
    {
        json.WriteStartObject();
        json.WriteNumber("index", boot.Index);
        json.WriteString("name", boot.Name);
        json.WriteString("action", "boot");
        json.WriteString("result", boot.Result);
        WriteStringOrNull(json, "chosen_host", boot.ChosenHost);
        WriteApi(json, boot.Api);
        json.WriteStartObject("hosts");
        foreach (var evaluation in boot.Hosts)
        {
            json.WritePropertyName(evaluation.Host);
            WriteEvaluation(json, evaluation);
        }

        json.WriteEndObject();
        json.WriteEndObject();
    }

    private static void WriteApi(Utf8JsonWriter json, ApiReport api)
    {
        json.WriteStartObject("api");
        json.WriteBoolean("ok", api.Ok);
        WriteError(json, "error", api.Error);
        WriteStringOrNull(json, "error_stage", api.ErrorStage);
        json.WriteStartArray("extra_spec_errors");
        foreach (var rejected in api.ExtraSpecErrors)
        {
            WriteErrorObject(json, rejected.Error, rejected.Key);
        }

        json.WriteEndArray();
        if (api.NumaTopology is { } topology)
        {
            json.WriteStartObject("numa_topology");
            json.WriteStartArray("cells");
            foreach (var cell in topology.Cells)
            {
                json.WriteStartObject();
                json.WriteNumber("guest_cell", cell.GuestCell);
                WriteNumbers(json, "shared_cpus", cell.SharedCpus);
                WriteNumbers(json, "dedicated_cpus", cell.DedicatedCpus);
                json.WriteNumber("memory_mb", cell.MemoryMb);
                WriteNumberOrNull(json, "pagesize_kb", cell.PagesizeKb);
                WriteStringOrNull(json, "cpu_policy", cell.CpuPolicy);
                WriteStringOrNull(json, "cpu_thread_policy", cell.CpuThreadPolicy);
                json.WriteEndObject();
            }

            json.WriteEndArray();
            WriteStringOrNull(json, "emulator_threads_policy", topology.EmulatorThreadsPolicy);
            json.WriteEndObject();
        }
        else
        {
            json.WriteNull("numa_topology");
        }

        WriteStringOrNull(json, "pci_numa_affinity_policy", api.PciNumaAffinityPolicy);
        json.WriteStartArray("pci_requests");
        foreach (var request in api.PciRequests)
        {
            json.WriteStartObject();
            json.WriteNumber("index", request.Index);
            json.WriteString("source", request.Source);
            WriteStringOrNull(json, "alias_name", request.AliasName);
            WriteStringOrNull(json, "port", request.Port);
            json.WriteNumber("count", request.Count);
            WriteStringOrNull(json, "numa_policy", request.NumaPolicy);
            json.WriteStartArray("spec");
            foreach (var spec in request.Spec)
            {
                spec.WriteTo(json);
            }

            json.WriteEndArray();
            json.WriteEndObject();
        }

        json.WriteEndArray();
        if (api.Resources is { } resources)
        {
            json.WriteStartObject("resources");
            foreach (var (resourceClass, amount) in resources)
            {
                json.WriteNumber(resourceClass, amount);
            }

            json.WriteEndObject();
        }
        else
        {
            json.WriteNull("resources");
        }

        if (api.NetworkMetadata is { } network)
        {
            json.WriteStartObject("network_metadata");
            WriteStrings(json, "physnets", network.Physnets);
            json.WriteBoolean("tunneled", network.Tunneled);
            json.WriteEndObject();
        }
        else
        {
            json.WriteNull("network_metadata");
        }

        json.WriteEndObject();
    }

    private static void WriteEvaluation(Utf8JsonWriter json, HostEvaluation evaluation)
    {
        json.WriteStartObject();
        json.WriteBoolean("fits", evaluation.Fits);
        WriteStringOrNull(json, "rejected_by", evaluation.RejectedBy);
        json.WriteStartObject("checks");
        if (evaluation.PlacementCheck is { } placement)
        {
            json.WriteStartObject(HostChecks.Placement);
            json.WriteBoolean("ok", placement.Ok);
            WriteStrings(json, "reasons", placement.Reasons);
            json.WriteStartObject("free");
            foreach (var (resourceClass, free) in placement.Free)
            {
                json.WriteNumber(resourceClass, free);
            }

            json.WriteEndObject();
            json.WriteEndObject();
        }
        else
        {
            json.WriteNull(HostChecks.Placement);
        }

        WriteBooleanOrNull(json, HostChecks.PciPassthroughFilter, evaluation.PciPassthroughFilterPassed);
        WriteBooleanOrNull(json, HostChecks.NumaTopologyFilter, evaluation.NumaTopologyFilterPassed);
        if (evaluation.Claim is { } claim)
        {
            json.WriteStartObject(HostChecks.Claim);
            json.WriteBoolean("ok", claim.Ok);
            WriteError(json, "error", claim.Error);
            json.WriteEndObject();
        }
        else
        {
            json.WriteNull(HostChecks.Claim);
        }

        json.WriteEndObject();
        WriteFittedCells(json, "numa_cells", evaluation.NumaCells);
        WriteFittedCells(json, "scheduler_numa_cells", evaluation.SchedulerNumaCells);
        if (evaluation.PciDevices is { } picks)
        {
            json.WriteStartArray("pci_devices");
            foreach (var pick in picks)
            {
                WritePick(json, pick);
            }

            json.WriteEndArray();
        }
        else
        {
            json.WriteNull("pci_devices");
        }

        if (evaluation.Rejections.Count > 0)
        {
            WriteExplain(json, evaluation.Rejections);
        }

        json.WriteEndObject();
    }

    private static void WriteExplain(Utf8JsonWriter json, IReadOnlyList<Rejection> rejections)
    {
        json.WriteStartObject("explain");
        json.WriteStartArray("reasons");
        foreach (var rejection in rejections)
        {
            json.WriteStartObject();
            json.WriteString("check", rejection.Filter);
            WriteNumberOrNull(json, "request_index", rejection.RequestIndex);
            json.WriteString("reason", rejection.Reason);
            json.WriteEndObject();
        }

        json.WriteEndArray();
        json.WriteEndObject();
    }

    private static void WriteFittedCells(Utf8JsonWriter json, string name, IReadOnlyList<FittedCellReport>? cells)
    {
        if (cells is null)
        {
            json.WriteNull(name);
            return;
        }

        json.WriteStartArray(name);
        foreach (var cell in cells)
        {
            json.WriteStartObject();
            json.WriteNumber("guest_cell", cell.GuestCell);
            json.WriteNumber("host_cell", cell.HostCell);
            WriteNumbers(json, "cpus", cell.Cpus);
            WriteNumbers(json, "shared_cpus", cell.SharedCpus);
            WriteNumbers(json, "dedicated_cpus", cell.DedicatedCpus);
            json.WriteNumber("memory_mb", cell.MemoryMb);
            WriteNumberOrNull(json, "pagesize_kb", cell.PagesizeKb);
            if (cell.CpuPinning is { } pinning)
            {
                json.WriteStartObject("cpu_pinning");
                foreach (var (guestCpu, hostCpu) in pinning)
                {
                    json.WriteNumber(guestCpu.ToString(CultureInfo.InvariantCulture), hostCpu);
                }

                json.WriteEndObject();
            }
            else
            {
                json.WriteNull("cpu_pinning");
            }

            if (cell.CpusetReserved is { } reserved)
            {
                WriteNumbers(json, "cpuset_reserved", reserved);
            }
            else
            {
                json.WriteNull("cpuset_reserved");
            }

            json.WriteEndObject();
        }

        json.WriteEndArray();
    }

    private static void WritePick(Utf8JsonWriter json, PickReport pick)
    {
        json.WriteStartObject();
        json.WriteString("address", pick.Address);
        json.WriteString("vendor_id", pick.VendorId);
        json.WriteString("product_id", pick.ProductId);
        json.WriteString("dev_type", pick.DevType);
        WriteNumberOrNull(json, "numa_node", pick.NumaNode);
        WriteStringOrNull(json, "parent_addr", pick.ParentAddr);
        json.WriteNumber("request_index", pick.RequestIndex);
        WriteStringOrNull(json, "alias", pick.Alias);
        WriteStringOrNull(json, "port", pick.Port);
        json.WritePropertyName("pool");
        pick.Pool.WriteTo(json);
        json.WriteEndObject();
    }

    private static void WriteDelete(Utf8JsonWriter json, DeleteResult delete)
    {
        json.WriteStartObject();
        json.WriteNumber("index", delete.Index);
        json.WritePropertyName("name");
        delete.Name.WriteTo(json);
        json.WriteString("action", "delete");
        WriteStringOrNull(json, "host", delete.Host);
        WriteStrings(json, "changed_devices", delete.ChangedDevices);
        WriteError(json, "error", delete.Error);
        json.WriteEndObject();
    }

    private static void WriteFinalState(Utf8JsonWriter json, FinalHostState state)
    {
        json.WriteStartObject();
        json.WriteBoolean("ok", state.Ok);
        WriteCells(json, state.NumaCells);
        json.WriteStartObject("placement_usage");
        foreach (var (resourceClass, used) in state.PlacementUsage)
        {
            json.WriteNumber(resourceClass, used);
        }

        json.WriteEndObject();
        WriteStrings(json, "instances", state.Instances);
        if (state.Devices is { } devices)
        {
            WriteDevices(json, "devices", devices);
            WritePools(json, state.Pools ?? []);
            WritePlacement(json, state.Placement);
        }

        json.WriteEndObject();
    }

    private static void WriteError(Utf8JsonWriter json, string name, PciError? error)
    {
        if (error is null)
        {
            json.WriteNull(name);
            return;
        }

        json.WritePropertyName(name);
        WriteErrorObject(json, error, key: null);
    }

    /// <summary>ERROR (§4.1): <c>type</c> is the reference's exception class name.</summary>
    private static void WriteErrorObject(Utf8JsonWriter json, PciError error, string? key)
    {
        json.WriteStartObject();
        json.WriteString("type", error.Kind);
        json.WriteBoolean("nova_exception", error.NovaException);
        json.WriteString("message", error.Message);
        if (key is not null)
        {
            json.WriteString("key", key);
        }

        json.WriteEndObject();
    }

    private static void WriteStrings(Utf8JsonWriter json, string name, IReadOnlyList<string> values)
    {
        json.WriteStartArray(name);
        foreach (var value in values)
        {
            json.WriteStringValue(value);
        }

        json.WriteEndArray();
    }

    private static void WriteNumbers(Utf8JsonWriter json, string name, IReadOnlyList<int> values)
    {
        json.WriteStartArray(name);
        foreach (var value in values)
        {
            json.WriteNumberValue(value);
        }

        json.WriteEndArray();
    }

    private static void WriteStringOrNull(Utf8JsonWriter json, string name, string? value)
    {
        if (value is null)
        {
            json.WriteNull(name);
        }
        else
        {
            json.WriteString(name, value);
        }
    }

    private static void WriteNumberOrNull(Utf8JsonWriter json, string name, long? value)
    {
        if (value is { } number)
        {
            json.WriteNumber(name, number);
        }
        else
        {
            json.WriteNull(name);
        }
    }

    private static void WriteBooleanOrNull(Utf8JsonWriter json, string name, bool? value)
    {
        if (value is { } flag)
        {
            json.WriteBoolean(name, flag);
        }
        else
        {
            json.WriteNull(name);
        }
    }
}
