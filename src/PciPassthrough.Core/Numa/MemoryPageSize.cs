namespace PciPassthrough.Core.Numa;

/// <summary>
/// The page size a guest cell asks for (<c>hw:mem_page_size</c>): a size in KiB, or one of the negative
/// class codes Nova stores (scenario-format §4.4 <c>pagesize_kb</c>).
/// </summary>
public static class MemoryPageSize
{
    /// <summary>The host cell's smallest page size.</summary>
    public const long Small = -1;

    /// <summary>Any page size but the smallest, largest first.</summary>
    public const long Large = -2;

    /// <summary>Any page size, largest first.</summary>
    public const long Any = -3;
}
