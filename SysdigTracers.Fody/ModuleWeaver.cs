using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using Fody;
using SysdigTracers.Fody.Configuration;
using SysdigTracers.Fody.Selection;
using SysdigTracers.Fody.Weaving;

namespace SysdigTracers.Fody;

/// <summary>
/// Fody entry point: reads the configuration, selects the methods to trace and hands each to the processor of
/// its shape. All tracer objects live in one generated holder type.
/// </summary>
public sealed class ModuleWeaver : BaseModuleWeaver
{
    /// <inheritdoc />
    public override void Execute()
    {
        try
        {
            Weave();
        }
        catch
        {
            ForgetCompilerOutput();
            throw;
        }
    }

    void Weave()
    {
        var configuration = ReadConfiguration();
        if (ModuleDefinition.Types.Any(t => t.Namespace.Length == 0 && t.Name == TracerFieldHolder.TypeName))
        {
            // Woven before (an assembly built elsewhere and woven again, or a build that did not recompile):
            // weaving again would trace every method twice.
            WriteInfo($"SysdigTracers: {ModuleDefinition.Assembly.Name.Name} is already woven ({TracerFieldHolder.TypeName} exists); nothing to do.");
            return;
        }

        foreach (var (pattern, message) in UnmatchedNamespaceRules.Find(configuration, ModuleDefinition))
        {
            configuration.Sources.TryGetValue(pattern, out var source);
            WriteWarning(message, source == null ? null : ConfigurationLocator.Locate(source, ProjectDirectoryPath, SolutionDirectoryPath));
        }

        var diagnostics = new Diagnostics(WriteError, WriteWarning);
        var selector = new MethodSelector(ModuleDefinition, configuration, diagnostics);
        var plans = selector.Select();
        if (plans.Count > 0)
        {
            var references = RuntimeReferences.Resolve(this, plans[0].Method);
            var holder = new TracerFieldHolder(
                ModuleDefinition,
                references,
                configuration.ActivitySourceName ?? ModuleDefinition.Assembly.Name.Name,
                configuration.TraceContext,
                configuration.CodeAttributes,
                configuration.MaxSpansPerSecond,
                configuration.MaxAssemblySpansPerSecond);
            var weaver = new MethodWeaver(references, holder, diagnostics);
            foreach (var plan in plans)
            {
                weaver.Weave(plan);
            }

            holder.Complete();
        }

        if (diagnostics.HasErrors)
        {
            // Fody writes the module after Execute unless it throws: a partly woven assembly must not be written.
            throw new WeavingException("SysdigTracers reported the errors above; the assembly was not woven.");
        }

        // One line at normal verbosity (MessageImportance.High), so that a build shows what the configuration did;
        // Fody puts "Fody/SysdigTracers: " in front of it.
        WriteMessage(
            $"{ModuleDefinition.Assembly.Name.Name}: {Count(plans.Count - diagnostics.UntracedMethods)} traced, " +
            $"{Count(selector.LeftOutByNoTrace)} left out by [NoTrace], {Count(selector.TrivialMethodsLeftOut)} left out as trivial, " +
            SmallMethods(selector.SmallMethodsLeftOut, configuration.MinimumCodeSize) +
            $"{Count(diagnostics.UntracedMethods)} left out as not traceable{Ceilings(plans.Count, configuration.MaxAssemblySpansPerSecond, configuration.MaxSpansPerSecond)}.",
            MessageImportance.High);
    }

    static string SmallMethods(int methods, int minimumCodeSize) =>
        minimumCodeSize > 0 ? $"{Count(methods)} left out as smaller than {minimumCodeSize} bytes of IL (MinimumCodeSize), " : "";

    static string Count(int methods) => methods == 1 ? "1 method" : $"{methods} methods";

    // The ceilings in force, so that a build shows why a busy assembly writes fewer spans than it makes calls.
    static string Ceilings(int planned, int assemblySpansPerSecond, int methodSpansPerSecond) =>
        planned == 0 ? "" :
        (assemblySpansPerSecond > 0
            ? $"; spans capped at {assemblySpansPerSecond}/s for this assembly (MaxAssemblySpansPerSecond)"
            : "; no cap on spans per second for this assembly (MaxAssemblySpansPerSecond=\"0\")") +
        (methodSpansPerSecond > 0 ? $" and at {methodSpansPerSecond}/s for each method (MaxSpansPerSecond)" : "");

    /// <summary>
    /// Reads FodyWeavers.xml's element; a mistake fails the build at its line and column in FodyWeavers.xml (Fody
    /// reports a <see cref="WeavingException"/> at its sequence point).
    /// </summary>
    WeaverConfiguration ReadConfiguration()
    {
        try
        {
            return ConfigurationReader.Read(Config);
        }
        catch (ConfigurationError error)
        {
            // Fody reports exactly a WeavingException as a build error at its sequence point; any other type as a crash.
            throw new WeavingException(error.Message)
            {
                SequencePoint = ConfigurationLocator.Locate(error.Culprit, ProjectDirectoryPath, SolutionDirectoryPath),
            };
        }
    }

    /// <summary>
    /// Deletes the compiler's output after a failed weave. MSBuild runs Fody only when the compiler ran, so the next
    /// build would otherwise find that output up to date and copy it, unwoven, as if the build had succeeded; without
    /// it, the next build compiles, weaves and reports the same errors again.
    /// </summary>
    void ForgetCompilerOutput()
    {
        try
        {
            if (!string.IsNullOrEmpty(AssemblyFilePath) && File.Exists(AssemblyFilePath))
            {
                File.Delete(AssemblyFilePath);
            }
        }
        catch (IOException)
        {
            // The build fails anyway; only the next incremental build may then miss the error.
        }
        catch (UnauthorizedAccessException)
        {
        }
    }

    /// <inheritdoc />
    public override IEnumerable<string> GetAssembliesForScanning()
    {
        yield return "netstandard";
        yield return "mscorlib";
        yield return "System.Runtime";
        yield return "System.Private.CoreLib";
        yield return "SysdigTracers";
    }

    /// <summary>Woven code calls the runtime library, so its reference must stay.</summary>
    public override bool ShouldCleanReference => false;
}
