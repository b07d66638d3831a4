using SysdigTracers;

namespace AssemblyToProcess.Rules
{
    /// <summary>Selected by IncludeNamespaces="AssemblyToProcess.Rules" (or Rules*), never by an attribute.</summary>
    public class Selected
    {
        public Selected(int start) => Value = start;

        public int Value { get; set; }

        public int Add(int amount) => Value += amount;

        [NoTrace]
        public int Skipped() => Value;

        public override string ToString() => "selected " + Value;
    }
}

namespace AssemblyToProcess.Rules.Sub
{
    /// <summary>Selected by Rules*, not by the exact Rules pattern.</summary>
    public static class Below
    {
        public static int Run(int x) => x + 100;
    }
}

namespace AssemblyToProcess.Rules.Excluded
{
    /// <summary>Excluded by ExcludeNamespaces; [Traced] on a method still wins.</summary>
    public static class Left
    {
        public static int Out(int x) => x - 1;

        [Traced]
        public static int ForcedIn(int x) => x + 1;
    }
}

namespace AssemblyToProcess.RulesSibling
{
    /// <summary>Never matched by Rules*: a sibling namespace sharing the prefix.</summary>
    public static class Sibling
    {
        public static int Run(int x) => x;
    }
}
