using System.Buffers;
using System.Globalization;
using System.Numerics;
using System.Text.Json;
using PciPassthrough.Core.Errors;
using PciPassthrough.Core.Scheduling;
using PciPassthrough.Core.Simulation.Results;

namespace PciPassthrough.Core.Simulation;

/// <summary>
/// Writes a <see cref="ScenarioResult"/> in the exact shape of scenario-format §4. Rejection reasons go under the
/// <c>explain</c> key, which comparison ignores (§4.1); no other key is added. UTF-8 JSON (SIM-5).
/// </summary>
public static class ScenarioResultWriter
{
    private static readonly JsonWriterOptions _indented = new() { Indented = true };
    private static readonly JsonWriterOptions _compact = new() { Indented = false };

    // property names are UTF-8 literals or encoded once: no transcoding or escaping check per write
    private static readonly JsonEncodedText _pciFilterName = JsonEncodedText.Encode(HostChecks.PciPassthroughFilter),
        _numaFilterName = JsonEncodedText.Encode(HostChecks.NumaTopologyFilter);

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
        json.WriteStartObject("engine"u8);
        json.WriteString("name"u8, "pcictl");
        json.WriteString("release"u8, result.Release == NovaRelease.Zed ? "zed" : "latest");
        json.WriteString("host_order"u8, "ascending ordinal host name");
        json.WriteEndObject();
        json.WriteString("scenario"u8, result.Scenario);
        json.WriteStartObject("config"u8);
        WriteAlias(json, result.Alias);
        json.WriteBoolean("report_in_placement"u8, result.ReportInPlacement);
        json.WriteEndObject();
        json.WriteStartObject("hosts"u8);
        foreach (var host in result.Hosts)
        {
            json.WritePropertyName(host.Name);
            WriteHost(json, host);
        }

        json.WriteEndObject();
        json.WriteStartArray("requests"u8);
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
        json.WriteStartObject("final_state"u8);
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
        json.WriteStartObject("alias"u8);
        json.WriteBoolean("ok"u8, alias.Ok);
        WriteError(json, "error"u8, alias.Error);
        if (alias.Aliases is { } entries)
        {
            json.WriteStartObject("aliases"u8);
            foreach (var entry in entries)
            {
                json.WriteStartObject(entry.Name);
                json.WriteString("numa_policy"u8, entry.NumaPolicy);
                json.WriteStartArray("specs"u8);
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
            json.WriteNull("aliases"u8);
        }

        json.WriteEndObject();
    }

    private static void WriteHost(Utf8JsonWriter json, HostReport host)
    {
        json.WriteStartObject();
        json.WriteBoolean("ok"u8, host.Ok);
        WriteError(json, "error"u8, host.Error);
        WriteStringOrNull(json, "error_stage"u8, host.ErrorStage);
        json.WriteStartObject("device_spec"u8);
        WriteStrings(json, "raw"u8, host.DeviceSpecRaw);
        if (host.Specs is { } specs)
        {
            json.WriteStartArray("specs"u8);
            foreach (var spec in specs)
            {
                WriteSpec(json, spec);
            }

            json.WriteEndArray();
        }
        else
        {
            json.WriteNull("specs"u8);
        }

        json.WriteEndObject();
        WriteDevices(json, "tracked_devices"u8, host.TrackedDevices);
        json.WriteStartArray("ignored_devices"u8);
        foreach (var ignored in host.IgnoredDevices)
        {
            json.WriteStartObject();
            json.WriteString("address"u8, ignored.Address);
            json.WriteString("reason"u8, ignored.Reason);
            json.WriteEndObject();
        }

        json.WriteEndArray();
        WritePools(json, host.Pools);
        WriteCells(json, host.NumaCells);
        json.WriteStartObject("placement_inventory"u8);
        foreach (var inventory in host.PlacementInventory)
        {
            json.WriteStartObject(inventory.ResourceClass);
            json.WritePropertyName("total"u8);
            WriteNumberValue(json, PythonNumber.Of(inventory.Total));
            json.WriteNumber("reserved"u8, inventory.Reserved);
            json.WritePropertyName("allocation_ratio"u8);
            WriteNumberValue(json, PythonNumber.Of(inventory.AllocationRatio));
            json.WritePropertyName("max_unit"u8);
            WriteNumberValue(json, PythonNumber.Of(inventory.MaxUnit));
            json.WriteEndObject();
        }

        json.WriteEndObject();
        WritePlacement(json, host.Placement);
        json.WriteEndObject();
    }

    private static void WriteSpec(Utf8JsonWriter json, SpecReport spec)
    {
        json.WriteStartObject();
        json.WriteNumber("index"u8, spec.Index);
        WriteNumberOrNull(json, "config_index"u8, spec.ConfigIndex);
        json.WriteString("vendor_id"u8, spec.VendorId);
        json.WriteString("product_id"u8, spec.ProductId);
        json.WritePropertyName("devname"u8);
        if (spec.Devname is { } devname)
        {
            devname.WriteTo(json);
        }
        else
        {
            json.WriteNullValue();
        }

        if (spec.Address is { } address)
        {
            json.WriteStartObject("address"u8);
            json.WriteString("kind"u8, address.Kind);
            json.WriteString("domain"u8, address.Domain);
            json.WriteString("bus"u8, address.Bus);
            json.WriteString("slot"u8, address.Slot);
            json.WriteString("function"u8, address.Function);
            json.WriteBoolean("is_physical_function"u8, address.IsPhysicalFunction);
            json.WriteEndObject();
        }
        else
        {
            json.WriteNull("address"u8);
        }

        json.WritePropertyName("tags"u8);
        spec.Tags.WriteTo(json);
        json.WriteEndObject();
    }

    private static void WriteDevices(Utf8JsonWriter json, ReadOnlySpan<byte> name, IReadOnlyList<TrackedDeviceReport> devices)
    {
        json.WriteStartArray(name);
        foreach (var device in devices)
        {
            json.WriteStartObject();
            WriteDeviceIdentity(json, device.Address, device.VendorId, device.ProductId, device.DevType, device.NumaNode, device.ParentAddr);
            json.WriteString("status"u8, device.Status);
            WriteStringOrNull(json, "instance"u8, device.Instance);
            WriteNumberOrNull(json, "spec_index"u8, device.SpecIndex);
            json.WritePropertyName("tags"u8);
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
        json.WriteStartArray("pools"u8);
        foreach (var pool in pools)
        {
            json.WriteStartObject();
            json.WritePropertyName("keys"u8);
            pool.Keys.WriteTo(json);
            json.WriteNumber("count"u8, pool.Count);
            WriteStrings(json, "devices"u8, pool.Devices);
            json.WriteEndObject();
        }

        json.WriteEndArray();
    }

    private static void WriteCells(Utf8JsonWriter json, IReadOnlyList<HostCellReport> cells)
    {
        json.WriteStartArray("numa_cells"u8);
        foreach (var cell in cells)
        {
            json.WriteStartObject();
            json.WriteNumber("id"u8, cell.Id);
            WriteNumberOrNull(json, "socket"u8, cell.Socket);
            WriteNumbers(json, "cpus"u8, cell.Cpus);
            WriteNumbers(json, "pcpus"u8, cell.Pcpus);
            json.WriteNumber("memory_mb"u8, cell.MemoryMb);
            json.WritePropertyName("cpu_usage"u8);
            WriteNumberValue(json, PythonNumber.Of(cell.CpuUsage));
            json.WritePropertyName("memory_usage_mb"u8);
            WriteNumberValue(json, PythonNumber.Of(cell.MemoryUsageMb));
            WriteNumbers(json, "pinned_cpus"u8, cell.PinnedCpus);
            json.WriteStartArray("hugepages"u8);
            foreach (var pages in cell.HugePages)
            {
                json.WriteStartObject();
                json.WriteNumber("size_kb"u8, pages.SizeKb);
                json.WritePropertyName("total"u8);
                WriteNumberValue(json, PythonNumber.Of(pages.Total));
                json.WritePropertyName("used"u8);
                WriteNumberValue(json, PythonNumber.Of(pages.Used));
                json.WriteNumber("reserved"u8, pages.Reserved);
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
            json.WriteNull("placement"u8);
            return;
        }

        json.WriteStartObject("placement"u8);
        json.WriteString("root"u8, placement.Root);
        json.WriteStartArray("providers"u8);
        foreach (var provider in placement.Providers)
        {
            json.WriteStartObject();
            json.WriteString("name"u8, provider.Name);
            json.WriteString("parent"u8, provider.Parent);
            json.WriteStartObject("inventories"u8);
            foreach (var inventory in provider.Inventories)
            {
                json.WriteStartObject(inventory.ResourceClass);
                json.WriteNumber("total"u8, inventory.Total);
                json.WriteNumber("max_unit"u8, inventory.MaxUnit);
                json.WriteNumber("used"u8, inventory.Used);
                json.WriteEndObject();
            }

            json.WriteEndObject();
            WriteStrings(json, "traits"u8, provider.Traits);
            json.WriteStartObject("consumers"u8);
            foreach (var (server, amount) in provider.Consumers)
            {
                json.WriteNumber(server, amount);
            }

            json.WriteEndObject();
            json.WriteEndObject();
        }

        json.WriteEndArray();
        WriteError(json, "error"u8, placement.Error);
        json.WriteEndObject();
    }

    private static void WriteBoot(Utf8JsonWriter json, BootResult boot)
    {
        json.WriteStartObject();
        json.WriteNumber("index"u8, boot.Index);
        json.WriteString("name"u8, boot.Name);
        json.WriteString("action"u8, "boot");
        json.WriteString("result"u8, boot.Result);
        WriteStringOrNull(json, "chosen_host"u8, boot.ChosenHost);
        WriteApi(json, boot.Api);
        json.WriteStartObject("hosts"u8);
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
        json.WriteStartObject("api"u8);
        json.WriteBoolean("ok"u8, api.Ok);
        WriteError(json, "error"u8, api.Error);
        WriteStringOrNull(json, "error_stage"u8, api.ErrorStage);
        json.WriteStartArray("extra_spec_errors"u8);
        foreach (var rejected in api.ExtraSpecErrors)
        {
            WriteErrorObject(json, rejected.Error, rejected.Key);
        }

        json.WriteEndArray();
        if (api.NumaTopology is { } topology)
        {
            json.WriteStartObject("numa_topology"u8);
            json.WriteStartArray("cells"u8);
            foreach (var cell in topology.Cells)
            {
                json.WriteStartObject();
                json.WriteNumber("guest_cell"u8, cell.GuestCell);
                WriteNumbers(json, "shared_cpus"u8, cell.SharedCpus);
                WriteNumbers(json, "dedicated_cpus"u8, cell.DedicatedCpus);
                json.WriteNumber("memory_mb"u8, cell.MemoryMb);
                json.WritePropertyName("pagesize_kb"u8);
                if (cell.PagesizeKb is { } pageSize)
                {
                    WriteNumberValue(json, PythonNumber.Of(pageSize));
                }
                else
                {
                    json.WriteNullValue();
                }
                WriteStringOrNull(json, "cpu_policy"u8, cell.CpuPolicy);
                WriteStringOrNull(json, "cpu_thread_policy"u8, cell.CpuThreadPolicy);
                json.WriteEndObject();
            }

            json.WriteEndArray();
            WriteStringOrNull(json, "emulator_threads_policy"u8, topology.EmulatorThreadsPolicy);
            json.WriteEndObject();
        }
        else
        {
            json.WriteNull("numa_topology"u8);
        }

        WriteStringOrNull(json, "pci_numa_affinity_policy"u8, api.PciNumaAffinityPolicy);
        json.WriteStartArray("pci_requests"u8);
        foreach (var request in api.PciRequests)
        {
            json.WriteStartObject();
            json.WriteNumber("index"u8, request.Index);
            json.WriteString("source"u8, request.Source);
            WriteStringOrNull(json, "alias_name"u8, request.AliasName);
            WriteStringOrNull(json, "port"u8, request.Port);
            json.WritePropertyName("count"u8);
            WriteNumberValue(json, PythonNumber.Of(request.Count));
            WriteStringOrNull(json, "numa_policy"u8, request.NumaPolicy);
            json.WriteStartArray("spec"u8);
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
            json.WriteStartObject("resources"u8);
            foreach (var (resourceClass, amount) in resources)
            {
                json.WritePropertyName(resourceClass);
                WriteNumberValue(json, PythonNumber.Of(amount));
            }

            json.WriteEndObject();
        }
        else
        {
            json.WriteNull("resources"u8);
        }

        if (api.NetworkMetadata is { } network)
        {
            json.WriteStartObject("network_metadata"u8);
            WriteStrings(json, "physnets"u8, network.Physnets);
            json.WriteBoolean("tunneled"u8, network.Tunneled);
            json.WriteEndObject();
        }
        else
        {
            json.WriteNull("network_metadata"u8);
        }

        json.WriteEndObject();
    }

    private static void WriteEvaluation(Utf8JsonWriter json, HostEvaluation evaluation)
    {
        json.WriteStartObject();
        json.WriteBoolean("fits"u8, evaluation.Fits);
        WriteStringOrNull(json, "rejected_by"u8, evaluation.RejectedBy);
        json.WriteStartObject("checks"u8);
        if (evaluation.PlacementCheck is { } placement)
        {
            json.WriteStartObject(HostChecks.Placement);
            json.WriteBoolean("ok"u8, placement.Ok);
            WriteStrings(json, "reasons"u8, placement.Reasons);
            json.WriteStartObject("free"u8);
            foreach (var (resourceClass, free) in placement.Free)
            {
                json.WritePropertyName(resourceClass);
                WriteNumberValue(json, free);
            }

            json.WriteEndObject();
            json.WriteEndObject();
        }
        else
        {
            json.WriteNull(HostChecks.Placement);
        }

        WriteBooleanOrNull(json, _pciFilterName.EncodedUtf8Bytes, evaluation.PciPassthroughFilterPassed);
        WriteBooleanOrNull(json, _numaFilterName.EncodedUtf8Bytes, evaluation.NumaTopologyFilterPassed);
        if (evaluation.Claim is { } claim)
        {
            json.WriteStartObject(HostChecks.Claim);
            json.WriteBoolean("ok"u8, claim.Ok);
            WriteError(json, "error"u8, claim.Error);
            json.WriteEndObject();
        }
        else
        {
            json.WriteNull(HostChecks.Claim);
        }

        json.WriteEndObject();
        WriteFittedCells(json, "numa_cells"u8, evaluation.NumaCells);
        WriteFittedCells(json, "scheduler_numa_cells"u8, evaluation.SchedulerNumaCells);
        if (evaluation.PciDevices is { } picks)
        {
            json.WriteStartArray("pci_devices"u8);
            foreach (var pick in picks)
            {
                WritePick(json, pick);
            }

            json.WriteEndArray();
        }
        else
        {
            json.WriteNull("pci_devices"u8);
        }

        if (evaluation.Rejections.Count > 0)
        {
            WriteExplain(json, evaluation.Rejections);
        }

        json.WriteEndObject();
    }

    private static void WriteExplain(Utf8JsonWriter json, IReadOnlyList<Rejection> rejections)
    {
        json.WriteStartObject("explain"u8);
        json.WriteStartArray("reasons"u8);
        foreach (var rejection in rejections)
        {
            json.WriteStartObject();
            json.WriteString("check"u8, rejection.Filter);
            WriteNumberOrNull(json, "request_index"u8, rejection.RequestIndex);
            json.WriteString("reason"u8, rejection.Reason);
            json.WriteEndObject();
        }

        json.WriteEndArray();
        json.WriteEndObject();
    }

    private static void WriteFittedCells(Utf8JsonWriter json, ReadOnlySpan<byte> name, IReadOnlyList<FittedCellReport>? cells)
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
            json.WriteNumber("guest_cell"u8, cell.GuestCell);
            json.WriteNumber("host_cell"u8, cell.HostCell);
            WriteNumbers(json, "cpus"u8, cell.Cpus);
            WriteNumbers(json, "shared_cpus"u8, cell.SharedCpus);
            WriteNumbers(json, "dedicated_cpus"u8, cell.DedicatedCpus);
            json.WriteNumber("memory_mb"u8, cell.MemoryMb);
            WriteNumberOrNull(json, "pagesize_kb"u8, cell.PagesizeKb);
            if (cell.CpuPinning is { } pinning)
            {
                json.WriteStartObject("cpu_pinning"u8);
                foreach (var (guestCpu, hostCpu) in pinning)
                {
                    json.WriteNumber(guestCpu.ToString(CultureInfo.InvariantCulture), hostCpu);
                }

                json.WriteEndObject();
            }
            else
            {
                json.WriteNull("cpu_pinning"u8);
            }

            if (cell.CpusetReserved is { } reserved)
            {
                WriteNumbers(json, "cpuset_reserved"u8, reserved);
            }
            else
            {
                json.WriteNull("cpuset_reserved"u8);
            }

            json.WriteEndObject();
        }

        json.WriteEndArray();
    }

    /// <summary>The fields a tracked device and a pick both start with (§4.3, §4.4).</summary>
    private static void WriteDeviceIdentity(Utf8JsonWriter json, string address, string vendorId, string productId, string devType,
        Int128? numaNode, string? parentAddr)
    {
        json.WriteString("address"u8, address);
        json.WriteString("vendor_id"u8, vendorId);
        json.WriteString("product_id"u8, productId);
        json.WriteString("dev_type"u8, devType);
        WriteNumberOrNull(json, "numa_node"u8, numaNode);
        WriteStringOrNull(json, "parent_addr"u8, parentAddr);
    }

    private static void WritePick(Utf8JsonWriter json, PickReport pick)
    {
        json.WriteStartObject();
        WriteDeviceIdentity(json, pick.Address, pick.VendorId, pick.ProductId, pick.DevType, pick.NumaNode, pick.ParentAddr);
        json.WriteNumber("request_index"u8, pick.RequestIndex);
        WriteStringOrNull(json, "alias"u8, pick.Alias);
        WriteStringOrNull(json, "port"u8, pick.Port);
        json.WritePropertyName("pool"u8);
        pick.Pool.WriteTo(json);
        json.WriteEndObject();
    }

    private static void WriteDelete(Utf8JsonWriter json, DeleteResult delete)
    {
        json.WriteStartObject();
        json.WriteNumber("index"u8, delete.Index);
        json.WritePropertyName("name"u8);
        delete.Name.WriteTo(json);
        json.WriteString("action"u8, "delete");
        WriteStringOrNull(json, "host"u8, delete.Host);
        WriteStrings(json, "changed_devices"u8, delete.ChangedDevices);
        WriteError(json, "error"u8, delete.Error);
        json.WriteEndObject();
    }

    private static void WriteFinalState(Utf8JsonWriter json, FinalHostState state)
    {
        json.WriteStartObject();
        json.WriteBoolean("ok"u8, state.Ok);
        WriteCells(json, state.NumaCells);
        json.WriteStartObject("placement_usage"u8);
        foreach (var (resourceClass, used) in state.PlacementUsage)
        {
            json.WritePropertyName(resourceClass);
            WriteNumberValue(json, PythonNumber.Of(used));
        }

        json.WriteEndObject();
        WriteStrings(json, "instances"u8, state.Instances);
        if (state.Devices is { } devices)
        {
            WriteDevices(json, "devices"u8, devices);
            WritePools(json, state.Pools ?? []);
            WritePlacement(json, state.Placement);
        }

        json.WriteEndObject();
    }

    private static void WriteError(Utf8JsonWriter json, ReadOnlySpan<byte> name, PciError? error)
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
        json.WriteString("type"u8, error.Kind);
        json.WriteBoolean("nova_exception"u8, error.NovaException);
        json.WriteString("message"u8, error.Message);
        if (key is not null)
        {
            json.WriteString("key"u8, key);
        }

        json.WriteEndObject();
    }

    private static void WriteStrings(Utf8JsonWriter json, ReadOnlySpan<byte> name, IReadOnlyList<string> values)
    {
        json.WriteStartArray(name);
        foreach (var value in values)
        {
            json.WriteStringValue(value);
        }

        json.WriteEndArray();
    }

    private static void WriteNumbers(Utf8JsonWriter json, ReadOnlySpan<byte> name, IReadOnlyList<int> values)
    {
        json.WriteStartArray(name);
        foreach (var value in values)
        {
            json.WriteNumberValue(value);
        }

        json.WriteEndArray();
    }

    private static void WriteStringOrNull(Utf8JsonWriter json, ReadOnlySpan<byte> name, string? value)
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

    /// <summary>A number as the reference's Python writes it: integers of any size, and its float literals
    /// (<c>Infinity</c>, <c>NaN</c>) where JSON has no number.</summary>
    private static void WriteNumberValue(Utf8JsonWriter json, PythonNumber value)
    {
        if (value.IsFloat && !double.IsInteger(value.Float))
        {
            if (double.IsFinite(value.Float))
            {
                json.WriteNumberValue(value.Float);
            }
            else
            {
                json.WriteRawValue(value.ToString(), skipInputValidation: true);
            }
        }
        else if (value.Truncated() is var integer && integer >= long.MinValue && integer <= long.MaxValue)
        {
            json.WriteNumberValue((long)integer);
        }
        else
        {
            json.WriteRawValue(value.ToString());
        }
    }

    private static void WriteNumberOrNull(Utf8JsonWriter json, ReadOnlySpan<byte> name, long? value)
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

    /// <summary>A device's <c>numa_node</c>, a Python int that may pass 64 bits.</summary>
    private static void WriteNumberOrNull(Utf8JsonWriter json, ReadOnlySpan<byte> name, Int128? value)
    {
        json.WritePropertyName(name);
        if (value is { } number)
        {
            WriteNumberValue(json, PythonNumber.Of((BigInteger)number));
        }
        else
        {
            json.WriteNullValue();
        }
    }

    private static void WriteBooleanOrNull(Utf8JsonWriter json, ReadOnlySpan<byte> name, bool? value)
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
