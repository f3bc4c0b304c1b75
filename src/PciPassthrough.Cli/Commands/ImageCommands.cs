using System.CommandLine;
using System.Text.Json.Nodes;
using static PciPassthrough.Cli.Commands.ControllerArguments;

namespace PciPassthrough.Cli.Commands;

/// <summary><c>pcictl image create|list|show|delete</c>: images, whose properties (<c>hw_pci_numa_affinity_policy</c>,
/// <c>hw_numa_nodes</c>, <c>hw_viommu_model</c>, …) shape the guest as flavor extra specs do.</summary>
public static class ImageCommands
{
    public static Command Build() => new("image", "Creates, lists, shows and deletes images on the controller (admin to change).")
    {
        Create(), List(), Show(), Delete(),
    };

    private static Command Create()
    {
        var name = Name("image", "ubuntu-24.04");
        var property = Properties("--property", "An image property, repeatable (a string, as Glance stores it).");
        return ControllerVerb.Create("create", """
            Creates an image with properties.

            The controller types them as Nova reads them (hw_numa_nodes,
            hw_cpu_policy, hw_mem_page_size, hw_pci_numa_affinity_policy, hw_viommu_model, ...).

            Examples:
              pcictl image create cirros
              pcictl image create ubuntu-viommu --property hw_viommu_model=virtio --property hw_machine_type=q35

            Exit codes: 0 created, 1 refused (exists, not admin), 2 bad arguments, 3 no controller.
            """, [name, property], ControllerVerb.Plain(parse => new(HttpMethod.Post, "v1/images", new JsonObject
        {
            ["name"] = parse.GetRequiredValue(name),
            ["properties"] = ToObject(parse.GetValue(property)),
        })), ControllerVerb.Object);
    }

    private static Command List() => ControllerVerb.Create("list", """
        Lists the images with their properties.

        Example:
          pcictl image list
        """, [], ControllerVerb.Plain(_ => new(HttpMethod.Get, "v1/images")),
        ControllerVerb.List("images", JsonTable.Column.Of("name"), JsonTable.Column.Of("properties")));

    private static Command Show()
    {
        var name = Name("image", "cirros");
        return ControllerVerb.Create("show", """
            Shows one image.

            Example:
              pcictl image show cirros
            """, [name], ControllerVerb.Plain(parse => new(HttpMethod.Get, $"v1/images/{Escape(parse.GetRequiredValue(name))}")),
            ControllerVerb.Object);
    }

    private static Command Delete()
    {
        var name = Name("image", "cirros");
        return ControllerVerb.Create("delete", """
            Deletes an image.

            Example:
              pcictl image delete cirros
            """, [name], ControllerVerb.Plain(parse => new(HttpMethod.Delete, $"v1/images/{Escape(parse.GetRequiredValue(name))}")),
            ControllerVerb.Deleted("image", name));
    }
}
