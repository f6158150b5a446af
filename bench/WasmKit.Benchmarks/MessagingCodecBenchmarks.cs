using System.Buffers;
using System.Buffers.Binary;
using System.Text;
using System.Text.Json;
using BenchmarkDotNet.Attributes;
using WasmKit.Messaging;

namespace WasmKit.Benchmarks;

/// <summary>
/// The serialization cost a codec adds to a message, apart from delivery: a small order encoded as UTF-8 JSON
/// (System.Text.Json into a reused buffer) or as a fixed binary layout (the raw codec), decoded back, and the
/// JSON codec's validation at send (<see cref="MessageCodec.IsValid"/>).
/// </summary>
[MemoryDiagnoser]
public class MessagingCodecBenchmarks
{
    private readonly Order _order = new(42, "SKU-12345", 3, 19.99);
    private readonly ArrayBufferWriter<byte> _buffer = new(256);
    private byte[] _json = null!;
    private byte[] _binary = null!;

    [GlobalSetup]
    public void Setup()
    {
        _json = JsonSerializer.SerializeToUtf8Bytes(_order);
        _binary = new byte[64];
        EncodeBinary(_order, _binary);
    }

    [Benchmark(Baseline = true)]
    public int RawEncode() => EncodeBinary(_order, _binary);

    [Benchmark]
    public Order RawDecode() => DecodeBinary(_binary);

    [Benchmark]
    public int JsonEncode()
    {
        _buffer.ResetWrittenCount();
        using var writer = new Utf8JsonWriter(_buffer);
        JsonSerializer.Serialize(writer, _order);
        return (int)writer.BytesCommitted + writer.BytesPending;
    }

    [Benchmark]
    public Order? JsonDecode() => JsonSerializer.Deserialize<Order>(_json);

    [Benchmark]
    public bool JsonValidate() => MessageCodec.Json.IsValid(_json);

    /// <summary>id (4), quantity (4), price (8), sku length (1), sku bytes.</summary>
    private static int EncodeBinary(Order order, Span<byte> destination)
    {
        BinaryPrimitives.WriteInt32LittleEndian(destination, order.Id);
        BinaryPrimitives.WriteInt32LittleEndian(destination[4..], order.Quantity);
        BinaryPrimitives.WriteDoubleLittleEndian(destination[8..], order.Price);
        int length = Encoding.UTF8.GetBytes(order.Sku, destination[17..]);
        destination[16] = (byte)length;
        return 17 + length;
    }

    private static Order DecodeBinary(ReadOnlySpan<byte> source) => new(
        BinaryPrimitives.ReadInt32LittleEndian(source),
        Encoding.UTF8.GetString(source.Slice(17, source[16])),
        BinaryPrimitives.ReadInt32LittleEndian(source[4..]),
        BinaryPrimitives.ReadDoubleLittleEndian(source[8..]));

    /// <summary>The benchmark's message.</summary>
    public sealed record Order(int Id, string Sku, int Quantity, double Price);
}
