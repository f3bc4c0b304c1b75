namespace PciPassthrough.Core.Flavors;

/// <summary>How Nova's <c>ImageMetaProps</c> coerces the JSON value of one image property (SIM-31 stage <c>image</c>).</summary>
internal abstract record ImagePropertyType
{
    /// <summary><c>int(value)</c>.</summary>
    public sealed record Integer : ImagePropertyType;

    /// <summary>oslo's lenient <c>bool_from_string</c>: never fails.</summary>
    public sealed record FlexibleBoolean : ImagePropertyType;

    /// <summary><c>str(value)</c> of a string or number.</summary>
    public sealed record Text : ImagePropertyType;

    /// <summary>A string from a fixed list; <paramref name="Lowered"/> types call <c>value.lower()</c> first and
    /// map legacy spellings through <paramref name="Aliases"/>.</summary>
    public sealed record Choice(IReadOnlyList<string> Values, bool Lowered = false, IReadOnlyDictionary<string, string>? Aliases = null)
        : ImagePropertyType;

    /// <summary>A list of objects whose values are strings, numbers or null.</summary>
    public sealed record ListOfStringMaps : ImagePropertyType;

    /// <summary>Any non-null value (a UUID field only warns).</summary>
    public sealed record Anything : ImagePropertyType;

    /// <summary>A version predicate such as <c>&gt;=2.0, &lt;3.0</c>.</summary>
    public sealed record VersionPredicate : ImagePropertyType;
}
