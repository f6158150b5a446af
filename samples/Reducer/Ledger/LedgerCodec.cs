using System.Buffers;
using System.Buffers.Binary;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Text.Json;
using WasmKit.Reducers;

namespace WasmKit.Samples.Ledger;

/// <summary>
/// The bank ledger's two layouts across the reducer boundary (fixtures/reducers/README.md):
/// binary records (commands 24 bytes, effects 40, accounts 16, each list after a u32 count) and JSON.
/// The binary layout is the structs' own memory, so encoding and decoding are single copies.
/// </summary>
public static class LedgerCodec
{
    private const int StateRecordSize = 16;

    /// <summary>Writes a batch of commands.</summary>
    /// <param name="commands">The batch.</param>
    /// <param name="format">The layout.</param>
    /// <param name="output">Receives the bytes (not cleared).</param>
    public static void EncodeCommands(ReadOnlySpan<LedgerCommand> commands, ReducerFormat format, ArrayBufferWriter<byte> output)
    {
        if (format == ReducerFormat.Binary)
        {
            int length = BinaryCommandsLength(commands.Length);
            WriteBinaryCommands(output.GetSpan(length)[..length], commands);
            output.Advance(length);
            return;
        }
        using var json = new Utf8JsonWriter(output);
        json.WriteStartArray();
        foreach (var command in commands)
        {
            json.WriteStartObject();
            json.WriteString("op", OpName(command.Op));
            json.WriteNumber("account", command.Account);
            if (command.Op == LedgerOp.Transfer) json.WriteNumber("to", command.To);
            json.WriteNumber("amount", command.Amount);
            json.WriteEndObject();
        }
        json.WriteEndArray();
    }

    /// <summary>The length of a batch of <paramref name="count"/> commands in the binary layout.</summary>
    /// <param name="count">How many commands.</param>
    /// <returns>4 + 24 bytes a command.</returns>
    public static int BinaryCommandsLength(int count) => 4 + count * Unsafe.SizeOf<LedgerCommand>();

    /// <summary>
    /// Writes a batch in the binary layout into exactly <see cref="BinaryCommandsLength"/> bytes: the shape of
    /// <see cref="System.Buffers.SpanAction{T, TArg}"/>, so that <see cref="Reducer.ApplyToLoadedState{TArgument}"/> writes it straight into guest memory.
    /// </summary>
    /// <param name="destination">The bytes to fill.</param>
    /// <param name="commands">The batch.</param>
    /// <exception cref="ArgumentException"><paramref name="destination"/> has another length.</exception>
    public static void WriteBinaryCommands(Span<byte> destination, ReadOnlySpan<LedgerCommand> commands)
    {
        RequireLittleEndian();
        var bytes = MemoryMarshal.AsBytes(commands);
        if (destination.Length != 4 + bytes.Length)
            throw new ArgumentException($"{commands.Length} binary commands take {4 + bytes.Length} bytes, not {destination.Length}.", nameof(destination));
        BinaryPrimitives.WriteUInt32LittleEndian(destination, (uint)commands.Length);
        bytes.CopyTo(destination[4..]);
    }

    /// <summary>Writes the loaded data: the transfer fee (nothing when it is 0).</summary>
    /// <param name="transferFee">The fee.</param>
    /// <param name="format">The layout.</param>
    /// <returns>The bytes.</returns>
    public static byte[] EncodeData(long transferFee, ReducerFormat format)
    {
        if (transferFee == 0) return [];
        if (format == ReducerFormat.Binary)
        {
            var bytes = new byte[8];
            BinaryPrimitives.WriteInt64LittleEndian(bytes, transferFee);
            return bytes;
        }
        return System.Text.Encoding.UTF8.GetBytes($"{{\"transferFee\":{transferFee}}}");
    }

    /// <summary>Serializes a ledger's accounts as the guest's <c>reducer_save</c> does, byte for byte.</summary>
    /// <param name="ledger">The ledger.</param>
    /// <param name="format">The layout.</param>
    /// <returns>The state.</returns>
    public static byte[] EncodeState(BankLedger ledger, ReducerFormat format) => EncodeState(ledger.Accounts, ledger.Count, format);

    /// <summary>Serializes accounts as the guest's <c>reducer_save</c> does, byte for byte.</summary>
    /// <param name="accounts">The accounts in order.</param>
    /// <param name="count">How many there are.</param>
    /// <param name="format">The layout.</param>
    /// <returns>The state.</returns>
    public static byte[] EncodeState(IEnumerable<(uint Id, long Balance)> accounts, int count, ReducerFormat format)
    {
        if (format == ReducerFormat.Binary)
        {
            var bytes = new byte[4 + count * StateRecordSize];
            BinaryPrimitives.WriteUInt32LittleEndian(bytes, (uint)count);
            int at = 4;
            foreach (var (id, balance) in accounts)
            {
                BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(at), id);
                BinaryPrimitives.WriteInt64LittleEndian(bytes.AsSpan(at + 8), balance);
                at += StateRecordSize;
            }
            return bytes;
        }
        var output = new ArrayBufferWriter<byte>();
        using (var json = new Utf8JsonWriter(output))
        {
            json.WriteStartObject();
            json.WriteStartArray("accounts");
            foreach (var (id, balance) in accounts)
            {
                json.WriteStartObject();
                json.WriteNumber("id", id);
                json.WriteNumber("balance", balance);
                json.WriteEndObject();
            }
            json.WriteEndArray();
            json.WriteEndObject();
        }
        return output.WrittenSpan.ToArray();
    }

    /// <summary>Reads a state back into (id, balance) pairs.</summary>
    /// <param name="state">The serialized state.</param>
    /// <param name="format">The layout.</param>
    /// <returns>The accounts in order.</returns>
    /// <exception cref="FormatException">The bytes are not a state of this layout.</exception>
    public static List<(uint Id, long Balance)> DecodeState(ReadOnlySpan<byte> state, ReducerFormat format)
    {
        var accounts = new List<(uint, long)>();
        if (format == ReducerFormat.Binary)
        {
            if (state.Length < 4) throw new FormatException("A binary state starts with a u32 count.");
            uint count = BinaryPrimitives.ReadUInt32LittleEndian(state);
            if ((ulong)count * StateRecordSize + 4 != (ulong)state.Length) throw new FormatException($"A binary state of {count} accounts has {4 + count * StateRecordSize} bytes, not {state.Length}.");
            for (int i = 0; i < count; i++)
            {
                var record = state.Slice(4 + i * StateRecordSize, StateRecordSize);
                accounts.Add((BinaryPrimitives.ReadUInt32LittleEndian(record), BinaryPrimitives.ReadInt64LittleEndian(record[8..])));
            }
            return accounts;
        }
        using var document = JsonDocument.Parse(state.ToArray());
        foreach (var account in document.RootElement.GetProperty("accounts").EnumerateArray())
            accounts.Add((account.GetProperty("id").GetUInt32(), account.GetProperty("balance").GetInt64()));
        return accounts;
    }

    /// <summary>Reads a batch's effects.</summary>
    /// <param name="effects">The bytes <c>reducer_apply</c> returned.</param>
    /// <param name="format">The layout.</param>
    /// <param name="output">Receives the effects (not cleared).</param>
    /// <exception cref="FormatException">The bytes are not effects of this layout.</exception>
    public static void DecodeEffects(ReadOnlySpan<byte> effects, ReducerFormat format, List<LedgerEffect> output)
    {
        if (format == ReducerFormat.Binary)
        {
            RequireLittleEndian();
            if (effects.Length < 4) throw new FormatException("Binary effects start with a u32 count.");
            uint count = BinaryPrimitives.ReadUInt32LittleEndian(effects);
            int size = Unsafe.SizeOf<LedgerEffect>(); // the record as the struct lays it out (Marshal.SizeOf costs a lookup per call)
            if ((ulong)count * (ulong)size + 4 != (ulong)effects.Length) throw new FormatException($"{count} binary effects take {4 + count * size} bytes, not {effects.Length}.");
            output.AddRange(MemoryMarshal.Cast<byte, LedgerEffect>(effects[4..]));
            return;
        }
        var reader = new Utf8JsonReader(effects);
        Expect(ref reader, JsonTokenType.StartArray);
        while (reader.Read() && reader.TokenType == JsonTokenType.StartObject)
        {
            LedgerEffectKind kind = 0;
            LedgerRejection reason = LedgerRejection.None;
            LedgerOp op = LedgerOp.Unknown;
            uint index = 0, account = 0, to = 0;
            long amount = 0, balance = 0;
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                // Names compared as UTF-8, without making strings: this runs once per effect field.
                if (reader.ValueTextEquals("type"u8)) { reader.Read(); kind = reader.ValueTextEquals("audit"u8) ? LedgerEffectKind.Audit : LedgerEffectKind.Rejected; }
                else if (reader.ValueTextEquals("reason"u8)) { reader.Read(); reason = ParseReason(ref reader); }
                else if (reader.ValueTextEquals("index"u8)) { reader.Read(); index = reader.GetUInt32(); }
                else if (reader.ValueTextEquals("op"u8)) { reader.Read(); op = ParseOp(ref reader); }
                else if (reader.ValueTextEquals("account"u8)) { reader.Read(); account = reader.GetUInt32(); }
                else if (reader.ValueTextEquals("to"u8)) { reader.Read(); to = reader.GetUInt32(); }
                else if (reader.ValueTextEquals("amount"u8)) { reader.Read(); amount = reader.GetInt64(); }
                else if (reader.ValueTextEquals("balance"u8)) { reader.Read(); balance = reader.GetInt64(); }
                else { reader.Read(); reader.Skip(); }
            }
            output.Add(new LedgerEffect(kind, index, op, reason, account, to, amount, balance));
        }
    }

    /// <summary>The JSON name of an op.</summary>
    public static string OpName(LedgerOp op) => op switch
    {
        LedgerOp.Deposit => "deposit",
        LedgerOp.Withdraw => "withdraw",
        LedgerOp.Transfer => "transfer",
        _ => "unknown",
    };

    private static LedgerOp ParseOp(ref Utf8JsonReader reader) =>
        reader.ValueTextEquals("deposit"u8) ? LedgerOp.Deposit
        : reader.ValueTextEquals("withdraw"u8) ? LedgerOp.Withdraw
        : reader.ValueTextEquals("transfer"u8) ? LedgerOp.Transfer
        : LedgerOp.Unknown;

    private static LedgerRejection ParseReason(ref Utf8JsonReader reader) =>
        reader.ValueTextEquals("unknown_account"u8) ? LedgerRejection.UnknownAccount
        : reader.ValueTextEquals("insufficient_funds"u8) ? LedgerRejection.InsufficientFunds
        : reader.ValueTextEquals("invalid_amount"u8) ? LedgerRejection.InvalidAmount
        : LedgerRejection.UnknownCommand;

    private static void Expect(ref Utf8JsonReader reader, JsonTokenType type)
    {
        if (!reader.Read() || reader.TokenType != type) throw new FormatException($"Expected {type} in the JSON effects.");
    }

    // The binary layout is little-endian, and so is the structs' memory on every platform .NET targets today.
    private static void RequireLittleEndian()
    {
        if (!BitConverter.IsLittleEndian) throw new PlatformNotSupportedException("The binary ledger layout is copied as little-endian memory.");
    }
}
