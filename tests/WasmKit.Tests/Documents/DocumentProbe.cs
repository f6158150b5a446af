using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;
using WasmKit.Backends;
using WasmKit.Tests.Support;
using WasmKit.Udf;

namespace WasmKit.Tests.Documents;

/// <summary>An instance whose exports forward to the "wasmkit" document functions, so tests can call them as a guest would.</summary>
internal sealed class DocumentProbe
{
    public const int PathAddress = 16;
    public const int BufferAddress = 1024;
    public const int OutAddress = 8;

    private const string Text = """
        (module
          (import "wasmkit" "get_field_string" (func $gs (param i32 i32 i32 i32 i32) (result i32)))
          (import "wasmkit" "get_field_int64" (func $gi (param i32 i32 i32) (result i32)))
          (import "wasmkit" "get_field_float64" (func $gf (param i32 i32 i32) (result i32)))
          (import "wasmkit" "get_field_bool" (func $gb (param i32 i32) (result i32)))
          (import "wasmkit" "has_field" (func $has (param i32 i32) (result i32)))
          (import "wasmkit" "get_array_length" (func $len (param i32 i32) (result i32)))
          (import "wasmkit" "get_document_id" (func $id (param i32 i32 i32) (result i32)))
          (import "wasmkit" "get_score" (func $score (result f64)))
          (import "wasmkit" "log" (func $log (param i32 i32) (result i32)))
          (memory (export "memory") 1)
          (func (export "gs") (param i32 i32 i32 i32 i32) (result i32)
            (call $gs (local.get 0) (local.get 1) (local.get 2) (local.get 3) (local.get 4)))
          (func (export "gi") (param i32 i32 i32) (result i32) (call $gi (local.get 0) (local.get 1) (local.get 2)))
          (func (export "gf") (param i32 i32 i32) (result i32) (call $gf (local.get 0) (local.get 1) (local.get 2)))
          (func (export "gb") (param i32 i32) (result i32) (call $gb (local.get 0) (local.get 1)))
          (func (export "has") (param i32 i32) (result i32) (call $has (local.get 0) (local.get 1)))
          (func (export "len") (param i32 i32) (result i32) (call $len (local.get 0) (local.get 1)))
          (func (export "id") (param i32 i32 i32) (result i32) (call $id (local.get 0) (local.get 1) (local.get 2)))
          (func (export "score") (result f64) (call $score))
          (func (export "log") (param i32 i32) (result i32) (call $log (local.get 0) (local.get 1))))
        """;

    private static byte[]? s_wasm;

    private readonly ExportInvoker _gs, _gi, _gf, _gb, _has, _len, _id, _score, _log;

    /// <summary>Instantiates the probe on a backend of <paramref name="fixture"/> (the managed engine by default), with the fixture's document functions.</summary>
    /// <param name="fixture">The backend to run on.</param>
    /// <param name="hostState">The instance's host state; the probe's <see cref="Context"/> when null.</param>
    public DocumentProbe(BackendFixture? fixture = null, object? hostState = null)
    {
        fixture ??= new ManagedBackendFixture();
        var module = fixture.CreateBackend().Compile(s_wasm ??= Wat.ToWasm(Text));
        Instance = module.Instantiate(new BackendInstanceOptions
        {
            Imports = new BackendImports { HostFunctions = fixture.DocumentFunctions },
            CreateHostState = _ => hostState ?? Context,
        });
        Memory = new ProbeMemory(Instance);
        ExportInvoker Export(string name) => module.GetInvoker(name)!;
        (_gs, _gi, _gf, _gb, _has, _len, _id, _score, _log) =
            (Export("gs"), Export("gi"), Export("gf"), Export("gb"), Export("has"), Export("len"), Export("id"), Export("score"), Export("log"));
    }

    public DocumentContext Context { get; } = new();
    public IBackendInstance Instance { get; }
    public ProbeMemory Memory { get; }

    public int GetString(int path, int pathLength, int buffer, int capacity, int lengthOut) =>
        (int)_gs.Invoke(Instance, [(uint)path, (uint)pathLength, (uint)buffer, (uint)capacity, (uint)lengthOut]);
    public int GetInt64(int path, int pathLength, int output) => (int)_gi.Invoke(Instance, [(uint)path, (uint)pathLength, (uint)output]);
    public int GetFloat64(int path, int pathLength, int output) => (int)_gf.Invoke(Instance, [(uint)path, (uint)pathLength, (uint)output]);
    public int GetBool(int path, int pathLength) => (int)_gb.Invoke(Instance, [(uint)path, (uint)pathLength]);
    public int Has(int path, int pathLength) => (int)_has.Invoke(Instance, [(uint)path, (uint)pathLength]);
    public int ArrayLength(int path, int pathLength) => (int)_len.Invoke(Instance, [(uint)path, (uint)pathLength]);
    public int GetId(int buffer, int capacity, int lengthOut) => (int)_id.Invoke(Instance, [(uint)buffer, (uint)capacity, (uint)lengthOut]);
    public double Score() => BitConverter.Int64BitsToDouble((long)_score.Invoke(Instance, []));
    public int Log(int message, int length) => (int)_log.Invoke(Instance, [(uint)message, (uint)length]);

    public void SetDocument(string json, string? id = null, double score = 0)
    {
        if (UseIndex) Context.SetDocument(IndexedDocument.Parse(json), id, score);
        else Context.SetDocument(JsonDocument.Parse(json).RootElement, id, score);
    }

    /// <summary>Whether <see cref="SetDocument"/> sets an <see cref="IndexedDocument"/> instead of a JsonElement.</summary>
    public bool UseIndex { get; init; }

    /// <summary>Writes a path at <see cref="PathAddress"/>; returns its length.</summary>
    public int WritePath(string path)
    {
        byte[] bytes = Encoding.UTF8.GetBytes(path);
        bytes.CopyTo(Memory.GetSpan(PathAddress, bytes.Length));
        return bytes.Length;
    }

    public (DocumentStatus Status, string? Value, int Length) String(string path, int capacity = 256)
    {
        int status = GetString(PathAddress, WritePath(path), BufferAddress, capacity, OutAddress);
        int length = Memory.Read<int>(OutAddress);
        return ((DocumentStatus)status, status == 0 ? Memory.ReadString(BufferAddress, length) : null, length);
    }

    public (DocumentStatus Status, long Value) Int64(string path)
    {
        Memory.Write<long>(OutAddress, 0);
        int status = GetInt64(PathAddress, WritePath(path), OutAddress);
        return ((DocumentStatus)status, Memory.Read<long>(OutAddress));
    }

    public (DocumentStatus Status, double Value) Float64(string path)
    {
        Memory.Write<double>(OutAddress, 0);
        int status = GetFloat64(PathAddress, WritePath(path), OutAddress);
        return ((DocumentStatus)status, Memory.Read<double>(OutAddress));
    }

    public int Bool(string path) => GetBool(PathAddress, WritePath(path));

    public int HasField(string path) => Has(PathAddress, WritePath(path));

    public int Length(string path) => ArrayLength(PathAddress, WritePath(path));
}

/// <summary>The probe's guest memory, read and written through the backend seam.</summary>
internal sealed class ProbeMemory(IBackendInstance instance)
{
    public Span<byte> GetSpan(long address, int length) => instance.WriteMemory(address, length);

    public T Read<T>(long address) where T : unmanaged => MemoryMarshal.Read<T>(instance.ReadMemory(address, Marshal.SizeOf<T>()));

    public void Write<T>(long address, T value) where T : unmanaged => MemoryMarshal.Write(instance.WriteMemory(address, Marshal.SizeOf<T>()), in value);

    public string ReadString(long address, int length) => Encoding.UTF8.GetString(instance.ReadMemory(address, length));
}
