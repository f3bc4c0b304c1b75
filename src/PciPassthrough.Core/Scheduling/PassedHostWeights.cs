using System.Collections;

namespace PciPassthrough.Core.Scheduling;

/// <summary>
/// <see cref="SchedulingDecision.Weights"/> as a view over the indexes of the hosts that passed and their totals, so a
/// decision over thousands of hosts builds no list of pairs.
/// </summary>
internal sealed class PassedHostWeights(List<int> hosts, double[] totals) : IReadOnlyList<KeyValuePair<int, double>>
{
    public int Count => hosts.Count;

    public KeyValuePair<int, double> this[int index] => KeyValuePair.Create(hosts[index], totals[index]);

    public IEnumerator<KeyValuePair<int, double>> GetEnumerator()
    {
        for (var i = 0; i < hosts.Count; i++)
        {
            yield return this[i];
        }
    }

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}
