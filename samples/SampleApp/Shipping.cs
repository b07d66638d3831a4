using System.Threading.Tasks;
using SysdigTracers;

namespace SampleApp.Shipping;

public sealed class ShippingPlanner
{
    /// <summary>
    /// An async method is one span from the call to the completion of its task. It may resume on another thread,
    /// so its enter and exit share a fresh numeric id instead of the thread id.
    /// </summary>
    [Traced(ReturnValue = true)]
    public async Task<int> DaysToDeliverAsync(string item)
    {
        await Task.Yield();
        return item.Length % 3 + 1;
    }
}
