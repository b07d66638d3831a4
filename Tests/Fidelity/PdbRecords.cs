using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Reflection.Metadata;
using System.Reflection.Metadata.Ecma335;
using System.Reflection.PortableExecutable;
using Mono.Cecil.Cil;
using CecilMember = Mono.Cecil.MemberReference;
using CecilModule = Mono.Cecil.ModuleDefinition;
using CecilParameter = Mono.Cecil.ParameterDefinition;

namespace Tests.Fidelity;

/// <summary>
/// The custom debug information of an assembly's portable PDB, read with System.Reflection.Metadata, as text that
/// can be compared between the compiler's PDB and the woven one. IL offsets are written as the instruction found
/// there (opcode and operand, short forms made long), so that an offset moved by injected code compares equal as
/// long as it still points at the same original instruction; everything else is compared byte for byte.
/// </summary>
public sealed class PdbRecords
{
    static readonly Guid AsyncMethodSteppingInformation = new("54FD2AC5-E925-401A-9C2A-F94F171072F8");
    static readonly Guid StateMachineHoistedLocalScopes = new("6DA9A61E-F8C7-4874-BE62-68BC5630DF71");

    /// <summary>Known kinds of records, for readable failures.</summary>
    public static readonly IReadOnlyDictionary<Guid, string> KindNames = new Dictionary<Guid, string>
    {
        [AsyncMethodSteppingInformation] = "async method stepping information",
        [StateMachineHoistedLocalScopes] = "state machine hoisted local scopes",
        [new Guid("83C563C4-B4F3-47D5-B824-BA5441477EA8")] = "dynamic local variables",
        [new Guid("ED9FDF71-8879-4747-8ED3-FE5EDE3CE710")] = "tuple element names",
        [new Guid("755F52A8-91C5-45BE-B4B8-209571E552BD")] = "EnC local slot map",
        [new Guid("A643004C-0240-496F-A783-30D64F4979DE")] = "EnC lambda and closure map",
        [new Guid("8B78CD68-2EDE-420B-980B-E15884B8AAA3")] = "EnC state machine state map",
        [new Guid("CC110556-A091-4D38-9FEC-25AB9A351A6A")] = "source link",
        [new Guid("0E8A571B-6926-466E-B4AD-8AB04611F5FE")] = "embedded source",
        [new Guid("B5FEEC05-8CD0-4A83-96DA-466284BB4BD8")] = "compilation options",
        [new Guid("7E4D4708-096E-4C5C-AEDA-CB10BA6A740D")] = "compilation metadata references",
        [new Guid("58b2eab6-209f-4e4e-a22c-b2d0f910c782")] = "default namespace",
        [new Guid("DBF7C56E-5E8F-4A3E-9F6B-57FB4A8F3E37")] = "primary constructor information",
        [new Guid("932E74BC-DBA9-4478-8D46-0F32A7BAB3D3")] = "type definition documents",
    };

    PdbRecords(Dictionary<string, List<string>> byOwner, HashSet<string> documentsWithoutCode)
    {
        ByOwner = byOwner;
        DocumentsWithoutCode = documentsWithoutCode;
    }

    /// <summary>The owner names of the documents no sequence point refers to (files of assembly attributes only).</summary>
    public IReadOnlySet<string> DocumentsWithoutCode { get; }

    /// <summary>The records of each owner (the module, a document, a method, a local of a method), in PDB order.</summary>
    public IReadOnlyDictionary<string, List<string>> ByOwner { get; }

    /// <summary>Reads the records of <paramref name="assemblyPath"/> and the PDB next to it (or embedded in it, as a test weave writes it).</summary>
    public static PdbRecords Read(string assemblyPath)
    {
        using var cecil = CecilModule.ReadModule(assemblyPath);
        var bodies = cecil.GetTypes().SelectMany(t => t.Methods).Where(m => m.HasBody)
            .ToDictionary(m => m.MetadataToken.ToInt32(), m => m.Body);
        using var pe = new PEReader(File.OpenRead(assemblyPath));
        var metadata = pe.GetMetadataReader();
        var pdbPath = Path.ChangeExtension(assemblyPath, ".pdb");
        using var pdbProvider = File.Exists(pdbPath)
            ? MetadataReaderProvider.FromPortablePdbStream(File.OpenRead(pdbPath))
            : pe.ReadEmbeddedPortablePdbDebugDirectoryData(pe.ReadDebugDirectory().Single(e => e.Type == DebugDirectoryEntryType.EmbeddedPortablePdb));
        var pdb = pdbProvider.GetMetadataReader();

        var byOwner = new Dictionary<string, List<string>>();
        void Add(string owner, string record)
        {
            if (!byOwner.TryGetValue(owner, out var list))
            {
                byOwner[owner] = list = new List<string>();
            }

            list.Add(record);
        }

        var methodNames = MethodNames(metadata);
        foreach (var handle in pdb.CustomDebugInformation)
        {
            var record = pdb.GetCustomDebugInformation(handle);
            var kind = pdb.GetGuid(record.Kind);
            var blob = pdb.GetBlobBytes(record.Value);
            var kindName = KindNames.TryGetValue(kind, out var known) ? known : kind.ToString();
            string owner;
            MethodBody? body = null;
            switch (record.Parent.Kind)
            {
                case HandleKind.ModuleDefinition:
                    owner = "module";
                    break;
                case HandleKind.Document:
                    owner = "document " + pdb.GetString(pdb.GetDocument((DocumentHandle)record.Parent).Name);
                    break;
                case HandleKind.MethodDefinition:
                    var method = (MethodDefinitionHandle)record.Parent;
                    owner = "method " + methodNames[method];
                    bodies.TryGetValue(MetadataTokens.GetToken(method), out body);
                    break;
                case HandleKind.LocalVariable:
                    var variable = pdb.GetLocalVariable((LocalVariableHandle)record.Parent);
                    owner = "local " + OwnerOfLocal(pdb, methodNames, (LocalVariableHandle)record.Parent) + " " + pdb.GetString(variable.Name) + "#" + variable.Index;
                    break;
                case HandleKind.LocalConstant:
                    owner = "constant " + pdb.GetString(pdb.GetLocalConstant((LocalConstantHandle)record.Parent).Name);
                    break;
                default:
                    owner = record.Parent.Kind.ToString();
                    break;
            }

            Add(owner, kindName + ": " + Describe(kind, pdb.GetBlobReader(record.Value), blob, body, methodNames));
        }

        var withCode = new HashSet<DocumentHandle>();
        foreach (var handle in pdb.MethodDebugInformation)
        {
            var information = pdb.GetMethodDebugInformation(handle);
            if (!information.SequencePointsBlob.IsNil)
            {
                foreach (var point in information.GetSequencePoints())
                {
                    withCode.Add(point.Document);
                }
            }
        }

        var withoutCode = pdb.Documents.Where(d => !withCode.Contains(d))
            .Select(d => "document " + pdb.GetString(pdb.GetDocument(d).Name))
            .ToHashSet();
        return new PdbRecords(byOwner, withoutCode);
    }

    /// <summary>A method's owner name, as <see cref="Read"/> writes it: declaring type, name and ordinal among its overloads.</summary>
    static Dictionary<MethodDefinitionHandle, string> MethodNames(MetadataReader metadata)
    {
        var names = new Dictionary<MethodDefinitionHandle, string>();
        foreach (var typeHandle in metadata.TypeDefinitions)
        {
            var type = metadata.GetTypeDefinition(typeHandle);
            var typeName = TypeName(metadata, type);
            var seen = new Dictionary<string, int>();
            foreach (var methodHandle in type.GetMethods())
            {
                var name = metadata.GetString(metadata.GetMethodDefinition(methodHandle).Name);
                seen[name] = seen.TryGetValue(name, out var count) ? count + 1 : 0;
                names[methodHandle] = $"{typeName}::{name}#{seen[name]}";
            }
        }

        return names;
    }

    static string TypeName(MetadataReader metadata, System.Reflection.Metadata.TypeDefinition type)
    {
        var name = metadata.GetString(type.Namespace) + "." + metadata.GetString(type.Name);
        var declaring = type.GetDeclaringType();
        return declaring.IsNil ? name : TypeName(metadata, metadata.GetTypeDefinition(declaring)) + "/" + name;
    }

    static string OwnerOfLocal(MetadataReader pdb, Dictionary<MethodDefinitionHandle, string> methodNames, LocalVariableHandle variable)
    {
        foreach (var scopeHandle in pdb.LocalScopes)
        {
            var scope = pdb.GetLocalScope(scopeHandle);
            if (scope.GetLocalVariables().Contains(variable))
            {
                return methodNames[scope.Method];
            }
        }

        return "?";
    }

    static string Describe(Guid kind, BlobReader reader, byte[] blob, MethodBody? body, Dictionary<MethodDefinitionHandle, string> methodNames)
    {
        if (kind == AsyncMethodSteppingInformation && body != null)
        {
            // uint catchHandlerOffset + 1 (0: none), then (yield offset, resume offset, compressed MoveNext row).
            var catchHandler = reader.ReadUInt32();
            var parts = new List<string> { catchHandler == 0 ? "no catch handler" : "catch handler at " + At(body, (int)catchHandler - 1) };
            while (reader.RemainingBytes > 0)
            {
                var yield = reader.ReadInt32();
                var resume = reader.ReadInt32();
                var moveNext = MetadataTokens.MethodDefinitionHandle(reader.ReadCompressedInteger());
                parts.Add($"yield at {At(body, yield)}, resume at {At(body, resume)} in {methodNames[moveNext]}");
            }

            return string.Join("; ", parts);
        }

        if (kind == StateMachineHoistedLocalScopes && body != null)
        {
            var parts = new List<string>();
            while (reader.RemainingBytes > 0)
            {
                var start = reader.ReadInt32();
                var length = reader.ReadInt32();
                parts.Add(start == 0 && length == 0 ? "unused" : $"from {At(body, start)} to {At(body, start + length)}");
            }

            return string.Join("; ", parts);
        }

        return Convert.ToHexString(blob);
    }

    /// <summary>The instruction at an IL offset, as opcode and operand (the short forms written as long ones).</summary>
    static string At(MethodBody body, int offset)
    {
        var instruction = body.Instructions.FirstOrDefault(i => i.Offset == offset);
        if (instruction == null)
        {
            return offset == CodeSize(body) ? "end of method" : $"IL_{offset:x4} (not an instruction)";
        }

        var previous = instruction.Previous;
        return $"[{Describe(instruction)}] after [{(previous == null ? "start" : Describe(previous))}]";
    }

    static int CodeSize(MethodBody body)
    {
        var last = body.Instructions.Last();
        return last.Offset + last.GetSize();
    }

    static string Describe(Instruction instruction)
    {
        var name = instruction.OpCode.Name.EndsWith(".s", StringComparison.Ordinal) ? instruction.OpCode.Name[..^2] : instruction.OpCode.Name;
        var operand = instruction.Operand switch
        {
            null => "",
            Instruction or Instruction[] => "",
            VariableDefinition or CecilParameter => "",
            CecilMember member => member.FullName,
            var value => value.ToString(),
        };
        return (name + " " + operand).Trim();
    }
}
