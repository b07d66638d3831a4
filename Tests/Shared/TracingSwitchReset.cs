using System;
using NUnit.Framework;
using NUnit.Framework.Interfaces;
using SysdigTracers;

[assembly: Tests.TracingSwitchReset]

namespace Tests;

/// <summary>Every test starts and ends with tracing on, whatever a test before it did with <see cref="Tracer.Enabled"/>.</summary>
[AttributeUsage(AttributeTargets.Assembly)]
public sealed class TracingSwitchResetAttribute : Attribute, ITestAction
{
    public ActionTargets Targets => ActionTargets.Test;

    public void BeforeTest(ITest test) => Tracer.Enabled = true;

    public void AfterTest(ITest test) => Tracer.Enabled = true;
}
