using CsCheck;
using PciPassthrough.Core.Flavors;

namespace PciPassthrough.Core.Tests.Flavors;

/// <summary>SIM-30: the flavor API's extra spec validation.</summary>
public sealed class ExtraSpecValidatorTests
{
    [Theory]
    [InlineData("pci_passthrough:alias", "a1:1")]
    [InlineData("pci_passthrough:alias", "a1:1 , b:2")]
    [InlineData("hw:numa_nodes", " +1_0 ")] // integer text as Python reads it
    [InlineData("hw:numa_mem.0", "1024")]
    [InlineData("hw:numa_cpus.1", "0-3,^2,5")]
    [InlineData("hw:cpu_dedicated_mask", "^0")]
    [InlineData("hw:cpu_policy", "mixed")]
    [InlineData("hw:cpu_thread_policy", "require")]
    [InlineData("hw:emulator_threads_policy", "share")]
    [InlineData("hw:pci_numa_affinity_policy", "socket")]
    [InlineData("hw:mem_page_size", "2MiB")]
    [InlineData("hw:mem_page_size", "any")]
    [InlineData("group_policy", "isolate")]
    [InlineData("resources:VCPU", "-3")] // integer, no minimum
    [InlineData("resources_GPU-1:CUSTOM_GPU", "2")]
    [InlineData("trait:HW_CPU_HYPERTHREADING", "forbidden")]
    [InlineData("trait1:CUSTOM_FAST", "required")]
    [InlineData("hw:serial_port_count", "0")]
    [InlineData("hw:boot_menu", " Yes ")]
    [InlineData("hw:pmem", "a,b,")]
    [InlineData("hw:tpm_version", "2.0")]
    [InlineData("hw:viommu_model", "auto")]
    [InlineData("hw:watchdog_action", "disabled")]
    [InlineData("os:monitors", "8")]
    [InlineData("aggregate_instance_extra_specs:ssd", "anything")]
    [InlineData("capabilities:cpu_info:vendor", "Intel")]
    [InlineData("custom:anything", "x")] // namespace Nova does not own
    [InlineData("nonamespace", "x")]
    [InlineData("pci_passthrough:alias", "a:\U0001D7CF")] // Python's \d: also digits outside the BMP
    [InlineData("hw:cpu_dedicated_mask", "^\U0001D7CE")]
    [InlineData("hw:mem_page_size", "\U0001D7D0MB")]
    public void SIM30_Accepts_ValidOrForeignKeys(string key, string value) =>
        ExtraSpecValidator.Validate(key, value).ShouldBeNull();

    [Theory]
    [InlineData("pci_passthrough:alias", "a1")]
    [InlineData("pci_passthrough:alias", "a1:x")]
    [InlineData("pci_passthrough:alias", "a1:-1")]
    [InlineData("hw:numa_nodes", "0")]
    [InlineData("hw:numa_nodes", "\u001c2")] // int() does not skip U+001C…U+001F
    [InlineData("hw:pmem", "\U0001D7CE")] // [0-9] is ASCII
    [InlineData("hw:numa_nodes", "x")]
    [InlineData("hw:numa_mem.0", "0")]
    [InlineData("hw:numa_cpus.0", "a")]
    [InlineData("hw:cpu_policy", "bogus")]
    [InlineData("hw:cpu_policy", "Dedicated")] // case-sensitive
    [InlineData("hw:pci_numa_affinity_policy", "bogus")]
    [InlineData("hw:mem_page_size", "2M ")]
    [InlineData("group_policy", "all")]
    [InlineData("resources:VCPU", "two")]
    [InlineData("resources:NOT_A_CLASS", "1")] // unknown class = unknown key
    [InlineData("trait:HW_CPU_HYPERTHREADING", "yes")]
    [InlineData("trait:NOT_A_TRAIT", "required")]
    [InlineData("hw:serial_port_count", "-1")]
    [InlineData("hw:boot_menu", "maybe")]
    [InlineData("hw:unknown_key", "1")]
    [InlineData("hw_rng:nonsense", "1")]
    [InlineData("os:monitors", "9")]
    [InlineData("resources{group}:VCPU", "1")] // a documented pattern, not a key
    public void SIM30_Rejects_BadValuesAndUnknownKeys(string key, string value)
    {
        var error = ExtraSpecValidator.Validate(key, value).ShouldNotBeNull();
        error.Kind.ShouldBe(FlavorErrorKinds.ValidationError);
        error.Message.ShouldContain(key);
    }

    [Fact]
    public void SIM30_ValidateAll_ReportsEveryRejectedKeyInOrdinalOrder()
    {
        var rejected = ExtraSpecValidator.ValidateAll(new Dictionary<string, string>
        {
            ["hw:numa_nodes"] = "0",
            ["hw:cpu_policy"] = "bogus",
            ["hw:mem_page_size"] = "large",
            ["Zeta:x"] = "ignored",
            ["hw:Bad"] = "1",
        });
        rejected.Select(r => r.Key).ShouldBe(["hw:Bad", "hw:cpu_policy", "hw:numa_nodes"]);
    }

    [Fact]
    public void SIM30_AnyKeyAndValue_GiveNoneOrAValidationError() =>
        Gen.Select(Gen.OneOf(Gen.String, Gen.OneOf("hw:numa_nodes", "hw:numa_cpus.0", "resources1:VCPU",
                "trait:CUSTOM_X", "pci_passthrough:alias", "hw:pmem", "hw:mem_page_size", "capabilities:stats:x")),
            Gen.String)
            .Sample((key, value) =>
            {
                if (ExtraSpecValidator.Validate(key, value) is { } error)
                {
                    error.Kind.ShouldBe(FlavorErrorKinds.ValidationError);
                }
            });
}
