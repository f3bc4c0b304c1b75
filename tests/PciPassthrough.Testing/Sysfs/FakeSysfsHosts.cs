namespace PciPassthrough.Testing.Sysfs;

/// <summary>Ready-made hosts, each the kind of machine an operator brings; tests start from these and add.</summary>
public static class FakeSysfsHosts
{
    /// <summary>Two sockets, an Intel X710 dual-port NIC on node 0 (4 VFs per port, iavf) and a Mellanox
    /// ConnectX-6 Dx dual-port NIC on node 1 (2 VFs on port 0 bound to vfio-pci, none on port 1).</summary>
    public static FakeSysfsBuilder DualSocketSriov() => Ready().WithTwoSockets()
        .WithSriovNic("0000:18:00.0", numaNode: 0, vfs: 4, ifname: "ens1f0")
        .WithSriovNic("0000:18:00.1", numaNode: 0, vfs: 4, ifname: "ens1f1")
        .WithSriovNic("0000:af:00.0", numaNode: 1, vfs: 2, totalVfs: 8, vendorId: "15b3", pfProductId: "101d",
            vfProductId: "101e", ifname: "ens3f0np0", driver: "mlx5_core", vfDriver: "vfio-pci")
        .WithSriovNic("0000:af:00.1", numaNode: 1, vfs: 0, totalVfs: 8, vendorId: "15b3", pfProductId: "101d",
            vfProductId: "101e", ifname: "ens3f1np1", driver: "mlx5_core");

    /// <summary>GPUs: two A100s (one on vfio-pci, one on the nvidia driver) and a consumer card whose HDMI audio
    /// function shares its IOMMU group.</summary>
    public static FakeSysfsBuilder Gpus() => Ready().WithTwoSockets()
        .WithDevice("0000:3b:00.0", "10de", "20b0", PciClasses.Display3D, numaNode: 0, driver: "vfio-pci")
        .WithDevice("0000:d8:00.0", "10de", "20b0", PciClasses.Display3D, numaNode: 1, driver: "nvidia")
        .WithDevice("0000:65:00.0", "10de", "1eb8", PciClasses.Vga, numaNode: 0, driver: "nouveau", iommuGroup: 65)
        .WithDevice("0000:65:00.1", "10de", "10f8", PciClasses.Audio, numaNode: 0, driver: "snd_hda_intel", iommuGroup: 65);

    /// <summary>NVMe drives: one in use by the host (nvme driver), one already on vfio-pci.</summary>
    public static FakeSysfsBuilder Nvme() => Ready()
        .WithNumaNode(0, socket: 0, cpus: Cpus(0, 8), memoryMb: 32768, threadsPerCore: 2)
        .WithDevice("0000:5e:00.0", "144d", "a824", PciClasses.Nvme, numaNode: 0, driver: "nvme")
        .WithDevice("0000:5f:00.0", "144d", "a824", PciClasses.Nvme, numaNode: 0, driver: "vfio-pci");

    public const string DpuSerial = "MT2113X00000";

    /// <summary>A BlueField-2 DPU: two PFs with VPD serial <see cref="DpuSerial"/> (the VFs have no VPD of their
    /// own and inherit it), and a ConnectX NIC whose VPD checksum is corrupt.</summary>
    public static FakeSysfsBuilder Dpu() => Ready().WithTwoSockets()
        .WithSriovNic("0000:03:00.0", numaNode: 0, vfs: 2, totalVfs: 16, vendorId: "15b3", pfProductId: "a2d6",
            vfProductId: "101e", ifname: "p0", driver: "mlx5_core", vfDriver: "mlx5_core", vpd: VpdImage.WithSerial(DpuSerial))
        .WithSriovNic("0000:03:00.1", numaNode: 0, vfs: 2, totalVfs: 16, vendorId: "15b3", pfProductId: "a2d6",
            vfProductId: "101e", ifname: "p1", driver: "mlx5_core", vfDriver: "mlx5_core", vpd: VpdImage.WithSerial(DpuSerial))
        .WithSriovNic("0000:82:00.0", numaNode: 1, vfs: 1, totalVfs: 8, vendorId: "15b3", pfProductId: "101d",
            vfProductId: "101e", ifname: "ens4f0", driver: "mlx5_core", vfDriver: "mlx5_core",
            vpd: VpdImage.Build("ConnectX-6 Dx", [("SN", "MT0000BAD")], checksumDelta: 1));

    /// <summary>A single-socket host that reports no NUMA information: <c>numa_node</c> is -1 or missing.</summary>
    public static FakeSysfsBuilder NoNuma() => Ready()
        .WithoutNumaNodes(Cpus(0, 4), memoryMb: 8192)
        .WithSriovNic("0000:01:00.0", numaNode: null, vfs: 2, ifname: "eno1")
        .WithDevice("0000:02:00.0", "10de", "1db4", PciClasses.Display3D, numaNode: null, driver: "vfio-pci")
        .WithDevice("0000:04:00.0", "8086", "0953", PciClasses.Nvme, numaNode: null, driver: "nvme")
        .WithFile("0000:04:00.0", "numa_node", null);

    /// <summary>Unusual addresses: NVMe behind Intel VMD (32-bit domain <c>10000</c>), a top-of-range
    /// <c>ffff:ff:1f.7</c>, and a device in a non-zero domain.</summary>
    public static FakeSysfsBuilder OddAddresses() => Ready()
        .WithNumaNode(0, socket: 0, cpus: Cpus(0, 4), memoryMb: 16384)
        .WithDevice("0000:00:0e.0", "8086", "467f", "0x010400", numaNode: 0, driver: "vmd")
        .WithDevice("10000:01:00.0", "144d", "a80a", PciClasses.Nvme, numaNode: 0, driver: "nvme")
        .WithDevice("10000:e0:06.0", "8086", "464d", PciClasses.PciBridge, numaNode: 0, driver: "pcieport")
        .WithDevice("ffff:ff:1f.7", "1d0f", "cd01", PciClasses.Nvme, numaNode: 0, driver: "vfio-pci")
        .WithDevice("0001:0a:00.0", "8086", "0b25", PciClasses.Accelerator, numaNode: 0);

    /// <summary>A host not prepared for passthrough: no IOMMU, no IOMMU groups, no vfio-pci, one NIC.</summary>
    public static FakeSysfsBuilder Unprepared() => new FakeSysfsBuilder()
        .WithSriovNic("0000:18:00.0", numaNode: 0, vfs: 0, ifname: "ens1f0");

    /// <summary>The named hosts, for tests that must hold on every one.</summary>
    public static IReadOnlyDictionary<string, Func<FakeSysfsBuilder>> All { get; } = new Dictionary<string, Func<FakeSysfsBuilder>>
    {
        [nameof(DualSocketSriov)] = DualSocketSriov,
        [nameof(Gpus)] = Gpus,
        [nameof(Nvme)] = Nvme,
        [nameof(Dpu)] = Dpu,
        [nameof(NoNuma)] = NoNuma,
        [nameof(OddAddresses)] = OddAddresses,
        [nameof(Unprepared)] = Unprepared,
    };

    /// <summary>Two sockets of 16 CPUs (8 cores with 2 threads each) and 64 GiB each, one NUMA node per socket.</summary>
    private static FakeSysfsBuilder WithTwoSockets(this FakeSysfsBuilder builder) => builder
        .WithNumaNode(0, socket: 0, cpus: Cpus(0, 16), memoryMb: 65536, threadsPerCore: 2)
        .WithNumaNode(1, socket: 1, cpus: Cpus(16, 16), memoryMb: 65536, threadsPerCore: 2);

    private static int[] Cpus(int first, int count) => [.. Enumerable.Range(first, count)];

    /// <summary>A host ready for passthrough: IOMMU on (VT-d), groups, vfio-pci loaded.</summary>
    private static FakeSysfsBuilder Ready() => new FakeSysfsBuilder().WithIommu().WithVfioPci();
}
