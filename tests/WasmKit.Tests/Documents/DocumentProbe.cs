using System.Text;
using System.Text.Json;
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

    public DocumentProbe(Engine? engine = null)
    {
        engine ??= new Engine();
        var linker = new Linker(engine);
        DocumentHostFunctions.Define(linker);
        Store = new Store(engine) { Data = Context };
        Instance = linker.Instantiate(Store, Module.FromBytes(engine, s_wasm ??= Wat.ToWasm(Text)));
        Memory = Instance.GetMemory("memory")!;
        GetString = Instance.GetFunction<int, int, int, int, int, int>("gs")!;
        GetInt64 = Instance.GetFunction<int, int, int, int>("gi")!;
        GetFloat64 = Instance.GetFunction<int, int, int, int>("gf")!;
        GetBool = Instance.GetFunction<int, int, int>("gb")!;
        Has = Instance.GetFunction<int, int, int>("has")!;
        ArrayLength = Instance.GetFunction<int, int, int>("len")!;
        GetId = Instance.GetFunction<int, int, int, int>("id")!;
        Score = Instance.GetFunction<double>("score")!;
        Log = Instance.GetFunction<int, int, int>("log")!;
    }

    public DocumentContext Context { get; } = new();
    public Store Store { get; }
    public Instance Instance { get; }
    public Memory Memory { get; }
    public Func<int, int, int, int, int, int> GetString { get; }
    public Func<int, int, int, int> GetInt64 { get; }
    public Func<int, int, int, int> GetFloat64 { get; }
    public Func<int, int, int> GetBool { get; }
    public Func<int, int, int> Has { get; }
    public Func<int, int, int> ArrayLength { get; }
    public Func<int, int, int, int> GetId { get; }
    public Func<double> Score { get; }
    public Func<int, int, int> Log { get; }

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
