namespace PciPassthrough.Core.Errors;

/// <summary>
/// The <see cref="PciError.Kind"/> values: Nova's exception class names, so logs and scenario results line up.
/// The last five are the Python runtime errors Nova lets escape (<see cref="PciError.NovaException"/> false).
/// </summary>
public static class PciErrorKinds
{
    public const string PciConfigInvalidSpec = nameof(PciConfigInvalidSpec);
    public const string PciDeviceWrongAddressFormat = nameof(PciDeviceWrongAddressFormat);
    public const string PciDeviceInvalidDeviceName = nameof(PciDeviceInvalidDeviceName);
    public const string PciDeviceRemoteManagedNotPresent = nameof(PciDeviceRemoteManagedNotPresent);
    public const string PciDeviceInvalidPFRemoteManaged = nameof(PciDeviceInvalidPFRemoteManaged);
    public const string PciDeviceNotFoundById = nameof(PciDeviceNotFoundById);
    public const string InvalidConfiguration = nameof(InvalidConfiguration);
    public const string PlacementPciException = nameof(PlacementPciException);
    public const string PciInvalidAlias = nameof(PciInvalidAlias);
    public const string PciRequestAliasNotDefined = nameof(PciRequestAliasNotDefined);
    public const string ImagePCINUMAPolicyForbidden = nameof(ImagePCINUMAPolicyForbidden);
    public const string InvalidPCINUMAAffinity = nameof(InvalidPCINUMAAffinity);
    public const string InvalidRequest = nameof(InvalidRequest);
    public const string ValidationError = nameof(ValidationError);
    public const string MigrationPreCheckError = nameof(MigrationPreCheckError);
    public const string NovaException = nameof(NovaException);
    public const string PciDeviceUnsupportedHypervisor = nameof(PciDeviceUnsupportedHypervisor);
    public const string InvalidVIOMMUMachineType = nameof(InvalidVIOMMUMachineType);
    public const string InvalidVIOMMUArchitecture = nameof(InvalidVIOMMUArchitecture);
    public const string DeviceProfileError = nameof(DeviceProfileError);

    public const string PciDeviceInvalidStatus = nameof(PciDeviceInvalidStatus);
    public const string PciDeviceInvalidOwner = nameof(PciDeviceInvalidOwner);
    public const string PciDeviceVFInvalidStatus = nameof(PciDeviceVFInvalidStatus);
    public const string PciDevicePFInvalidStatus = nameof(PciDevicePFInvalidStatus);
    public const string PciDevicePoolEmpty = nameof(PciDevicePoolEmpty);
    public const string PciDeviceRequestFailed = nameof(PciDeviceRequestFailed);
    public const string PlacementPciDependentDeviceException = nameof(PlacementPciDependentDeviceException);
    public const string PlacementPciMixedResourceClassException = nameof(PlacementPciMixedResourceClassException);
    public const string PlacementPciMixedTraitsException = nameof(PlacementPciMixedTraitsException);

    public const string ValueError = nameof(ValueError);
    public const string TypeError = nameof(TypeError);
    public const string AttributeError = nameof(AttributeError);
    public const string IndexError = nameof(IndexError);
    public const string OverflowError = nameof(OverflowError);
    public const string MemoryError = nameof(MemoryError);
}
