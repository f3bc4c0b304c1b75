namespace PciPassthrough.Core.Flavors;

/// <summary>
/// The Nova exception class names a flavor or image can raise in the API stages <c>image</c>,
/// <c>flavor_image</c> and <c>resources</c> (scenario-format SIM-30…SIM-32). The last four are the Python
/// runtime errors Nova lets escape (reported with <c>nova_exception: false</c>).
/// </summary>
public static class FlavorErrorKinds
{
    public const string ValidationError = nameof(ValidationError);
    public const string InvalidRequest = nameof(InvalidRequest);
    public const string Invalid = nameof(Invalid);
    public const string ImageSerialPortNumberInvalid = nameof(ImageSerialPortNumberInvalid);
    public const string ImageSerialPortNumberExceedFlavorValue = nameof(ImageSerialPortNumberExceedFlavorValue);
    public const string ImageVCPULimitsRangeExceeded = nameof(ImageVCPULimitsRangeExceeded);
    public const string ImageVCPUTopologyRangeExceeded = nameof(ImageVCPUTopologyRangeExceeded);
    public const string RealtimeMaskNotFoundOrInvalid = nameof(RealtimeMaskNotFoundOrInvalid);
    public const string RealtimeConfigurationInvalid = nameof(RealtimeConfigurationInvalid);
    public const string InvalidCPUAllocationPolicy = nameof(InvalidCPUAllocationPolicy);
    public const string InvalidCPUThreadAllocationPolicy = nameof(InvalidCPUThreadAllocationPolicy);
    public const string ImageCPUPinningForbidden = nameof(ImageCPUPinningForbidden);
    public const string ImageCPUThreadPolicyForbidden = nameof(ImageCPUThreadPolicyForbidden);
    public const string CPUThreadPolicyConfigurationInvalid = nameof(CPUThreadPolicyConfigurationInvalid);
    public const string InvalidEmulatorThreadsPolicy = nameof(InvalidEmulatorThreadsPolicy);
    public const string BadRequirementEmulatorThreadsPolicy = nameof(BadRequirementEmulatorThreadsPolicy);
    public const string InvalidMixedInstanceDedicatedMask = nameof(InvalidMixedInstanceDedicatedMask);
    public const string RequiredMixedInstancePolicy = nameof(RequiredMixedInstancePolicy);
    public const string RequiredMixedOrRealtimeCPUMask = nameof(RequiredMixedOrRealtimeCPUMask);
    public const string InvalidNUMANodesNumber = nameof(InvalidNUMANodesNumber);
    public const string ImageNUMATopologyForbidden = nameof(ImageNUMATopologyForbidden);
    public const string ImageNUMATopologyAsymmetric = nameof(ImageNUMATopologyAsymmetric);
    public const string ImageNUMATopologyIncomplete = nameof(ImageNUMATopologyIncomplete);
    public const string ImageNUMATopologyCPUOutOfRange = nameof(ImageNUMATopologyCPUOutOfRange);
    public const string ImageNUMATopologyCPUDuplicates = nameof(ImageNUMATopologyCPUDuplicates);
    public const string ImageNUMATopologyCPUsUnassigned = nameof(ImageNUMATopologyCPUsUnassigned);
    public const string ImageNUMATopologyMemoryOutOfRange = nameof(ImageNUMATopologyMemoryOutOfRange);
    public const string MemoryPageSizeInvalid = nameof(MemoryPageSizeInvalid);
    public const string MemoryPageSizeForbidden = nameof(MemoryPageSizeForbidden);
    public const string FlavorImageLockedMemoryConflict = nameof(FlavorImageLockedMemoryConflict);
    public const string LockMemoryForbidden = nameof(LockMemoryForbidden);
    public const string ValueError = nameof(ValueError);
    public const string TypeError = nameof(TypeError);
    public const string AttributeError = nameof(AttributeError);

    /// <summary>
    /// Raised where Nova builds a flavor/image conflict message with the image's name or id, which a boot's image
    /// (properties only) does not have: the conflict surfaces as this runtime error instead.
    /// </summary>
    public const string NotImplementedError = nameof(NotImplementedError);
}
