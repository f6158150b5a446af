using System.Runtime.CompilerServices;
using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Globalization;
using System.Text;
using WasmKit.Backends;
using WasmKit.Pooling;

namespace WasmKit.Udf;

/// <summary>
/// One registered UDF version: validated metadata, its module host, its calling plan and its statistics.
/// Evaluation runs here: bind arguments, rent an instance, load arguments, call per document, record.
/// </summary>
internal sealed class UdfEntry
{
    private readonly object?[] _defaults;
    private readonly Dictionary<string, int> _parameterIndex;
    private readonly ValueKind[] _wasmParameters;
    private readonly UdfMeterInstruments _instruments;
    // The instruments read on every evaluation, held directly: one load less each.
    private readonly Histogram<double> _duration;
    private readonly Counter<long> _calls;
    private readonly KeyValuePair<string, object?> _nameTag;
    private readonly KeyValuePair<string, object?> _versionTag;
    private readonly KeyValuePair<string, object?> _backendTag;
    private readonly int _durationSampleInterval;
    private int _warmUpMeasurements;

    public UdfEntry(UdfMetadata metadata, UdfVersion version, object?[] defaults, FunctionType signature, UdfModuleHost host, int slot, UdfMeterInstruments instruments, int durationSampleInterval)
    {
        _durationSampleInterval = durationSampleInterval;
        _warmUpMeasurements = durationSampleInterval > 1 ? 16 : 0;
        Metadata = metadata;
        Version = version;
        _defaults = defaults;
        Signature = signature;
        Host = host;
        Slot = slot;
        _instruments = instruments;
        _duration = instruments.Duration;
        _calls = instruments.Calls;
        ExportName = metadata.EffectiveExportName;
        DisplayName = $"{metadata.Name}@{version}";
        VersionKey = version.ToString();
        Parameters = [.. metadata.Parameters];
        Returns = [.. metadata.Returns];
        _parameterIndex = new Dictionary<string, int>(StringComparer.Ordinal);
        for (int i = 0; i < Parameters.Length; i++) _parameterIndex[Parameters[i].Name] = i;
        _wasmParameters = [.. signature.Parameters];
        // Validation found the export with this signature, so the backend has an invoker for it.
        Invoker = host.Module.GetInvoker(ExportName) ?? throw new InvalidOperationException($"Export '{ExportName}' is missing.");
        _nameTag = new("udf.name", metadata.Name);
        _versionTag = new("udf.version", VersionKey);
        _backendTag = new("udf.backend", host.Module.Backend.Name);
    }

    public UdfMetadata Metadata { get; }

    public UdfVersion Version { get; }

    public string VersionKey { get; }

    public string DisplayName { get; }

    public string ExportName { get; }

    public UdfParameter[] Parameters { get; }

    public UdfType[] Returns { get; }

    public FunctionType Signature { get; }

    public UdfModuleHost Host { get; }

    public int Slot { get; }

    /// <summary>Calls the export on whichever instance the evaluation holds (the backend's typed call path).</summary>
    public ExportInvoker Invoker { get; }

    public DurationHistogram Histogram { get; } = new();

    public UdfStatistics Statistics()
    {
        // Counts live in the histogram or, until their instance leaves the per-core cache, in the instance.
        var flushed = Histogram.Snapshot(Metadata.Name, VersionKey);
        var (calls, errors) = Host.PendingCounts(this);
        return flushed with { Calls = flushed.Calls + calls, Errors = flushed.Errors + errors, Backend = Host.Module.Backend.Name };
    }

    /// <summary>Checks named arguments (required, unknown, types), fills defaults and lowers them to WebAssembly slots.</summary>
    public UdfPreparedArguments Prepare(IReadOnlyDictionary<string, object?>? arguments)
    {
        try
        {
            return PrepareCore(arguments);
        }
        catch (UdfArgumentException)
        {
            RecordFailure();
            throw;
        }
    }

    private UdfPreparedArguments PrepareCore(IReadOnlyDictionary<string, object?>? arguments)
    {
        var slots = new ulong[_wasmParameters.Length];
        List<(int Slot, string Text)>? strings = null;
        int matched = 0;
        int slot = 0;
        for (int i = 0; i < Parameters.Length; i++)
        {
            var parameter = Parameters[i];
            object? value = null;
            if (arguments is not null && arguments.TryGetValue(parameter.Name, out value)) matched++;
            if (value is null)
            {
                if (parameter.Required)
                    throw new UdfArgumentException(DisplayName, parameter.Name,
                        $"is required ({parameter.Type.ToManifestName()}) but " + (arguments?.ContainsKey(parameter.Name) == true ? "null was given" : "missing"));
                value = _defaults[i];
            }
            if (!UdfTypes.TryConvert(parameter.Type, value, out var converted))
                throw new UdfArgumentException(DisplayName, parameter.Name,
                    $"expects {parameter.Type.ToManifestName()}, not {Describe(value)}");
            switch (converted)
            {
                case string text:
                    (strings ??= []).Add((slot, text));
                    slot += 2;
                    break;
                case int i32: slots[slot++] = (uint)i32; break;
                case long i64: slots[slot++] = (ulong)i64; break;
                case float f32: slots[slot++] = (uint)BitConverter.SingleToInt32Bits(f32); break;
                case double f64: slots[slot++] = (ulong)BitConverter.DoubleToInt64Bits(f64); break;
                case bool b: slots[slot++] = b ? 1UL : 0UL; break;
            }
        }
        if (arguments is not null && matched != arguments.Count)
        {
            string unknown = arguments.Keys.First(k => !_parameterIndex.ContainsKey(k));
            throw new UdfArgumentException(DisplayName, unknown,
                "is not a parameter of this UDF (parameters: " + (Parameters.Length == 0 ? "none" : string.Join(", ", Parameters.Select(p => p.Name))) + ")");
        }
        return new UdfPreparedArguments(slots, strings);
    }

    private static string Describe(object? value) => value switch
    {
        null => "null",
        string s => $"the string \"{s}\"",
        IFormattable f => $"{f.ToString(null, CultureInfo.InvariantCulture)} ({value.GetType().Name})",
        _ => $"{value} ({value.GetType().Name})",
    };

    /// <summary>Evaluates the UDF once per document with ONE rented instance; string arguments are written once.</summary>
    /// <param name="arguments">Prepared arguments.</param>
    /// <param name="documents">The documents.</param>
    /// <param name="sink">Receives each result, in order.</param>
    /// <param name="single">Whether this is a single call (errors carry no document index).</param>
    /// <exception cref="UdfNotFoundException">This version was unregistered (or replaced) and its instances are gone.</exception>
    public void Evaluate<TDocuments, TSink>(UdfPreparedArguments arguments, TDocuments documents, ref TSink sink, bool single = false)
        where TDocuments : struct, IUdfDocumentSource
        where TSink : struct, IUdfResultSink
    {
        if (!TryEvaluate(arguments, documents, ref sink, single)) throw Gone();
    }

    /// <summary>
    /// <see cref="Evaluate"/>, or false without evaluating when this version's host has closed (it was replaced
    /// or unregistered after the caller looked it up): the caller looks the UDF up again.
    /// </summary>
    public bool TryEvaluate<TDocuments, TSink>(UdfPreparedArguments arguments, TDocuments documents, ref TSink sink, bool single = false)
        where TDocuments : struct, IUdfDocumentSource
        where TSink : struct, IUdfResultSink
    {
        if (documents.Count == 0) return true;
        // Holding the host keeps its pool open for this evaluation, whatever refreshes happen meanwhile.
        if (!Host.TryEnter()) return false;
        try
        {
            EvaluateEntered(arguments, documents, ref sink, single);
        }
        finally
        {
            Host.Exit();
        }
        return true;
    }

    private void EvaluateEntered<TDocuments, TSink>(UdfPreparedArguments arguments, TDocuments documents, ref TSink sink, bool single)
        where TDocuments : struct, IUdfDocumentSource
        where TSink : struct, IUdfResultSink
    {
        PooledInstance pooled;
        int cacheSlot = Host.CacheSlot();
        try
        {
            pooled = Host.Rent(cacheSlot);
        }
        catch (Exception exception) when (exception is WasmException or InvalidOperationException)
        {
            RecordFailure();
            throw new UdfExecutionException(DisplayName, -1, exception);
        }
        // Calls are counted once per rent, not per document: one atomic add however long the batch.
        int evaluated = 0;
        bool guestFailed = false;
        UdfInstanceBinding? binding = null;
        int index = -1;
        try
        {
            // Binding a fresh instance runs guest code (wasmkit_alloc): inside, so its failures are the UDF's.
            binding = Host.Bind(pooled);
            binding.Load(this, arguments);
            for (index = 0; index < documents.Count; index++)
            {
                var document = documents[index];
                binding.Context.SetDocument(document);
                evaluated++;
                guestFailed = true;
                var value = EvaluateOne(binding, out var all);
                guestFailed = false;
                sink.Accept(index, value, all);
            }
        }
        catch (Exception exception)
        {
            // A trapped instance is discarded by the pool; anything else may have left it half-way, so drop it too.
            pooled.MarkBroken();
            if (index < 0) RecordFailure();
            if (exception is UdfExecutionException) throw;
            throw new UdfExecutionException(DisplayName, single ? -1 : index, exception);
        }
        finally
        {
            if (binding is not null)
            {
                binding.Context.Clear();
                if (evaluated > 0) RecordCalls(binding, evaluated, guestFailed ? 1 : 0);
            }
            Host.Return(pooled, cacheSlot);
        }
    }

    /// <summary>The failure of a call on a version whose host closed.</summary>
    private UdfNotFoundException Gone() => new(Metadata.Name, VersionKey);

    /// <summary>
    /// One evaluation on one document, for the typed handles: the steps of <see cref="Evaluate"/>
    /// without its loop and result sink, which cost a single call as much as the guest's own work.
    /// </summary>
    /// <exception cref="UdfNotFoundException">This version was unregistered (or replaced) and its instances are gone.</exception>
    public TResult EvaluateSingle<TResult>(UdfPreparedArguments arguments, in UdfDocument document)
    {
        if (Returns.Length != 1)
        {
            var sink = new AllResultsSink();
            Evaluate(arguments, new SingleDocument(document), ref sink, single: true);
            return UdfResultConversion.To<TResult>(sink.First);
        }
        if (!Host.TryEnter()) throw Gone();
        try
        {
            int cacheSlot = Host.CacheSlot();
            var pooled = RentFor(cacheSlot);
            TResult result;
            // The steps run in a method of their own, free of exception handling, so the JIT keeps their
            // state in registers; a failure is taken apart here, from what the binding shows.
            try
            {
                result = EvaluateOn<TResult>(pooled, arguments, document);
            }
            catch (Exception exception)
            {
                var failure = RecordSingleFailure(pooled, exception);
                Host.Return(pooled, cacheSlot);
                if (failure == exception) throw;
                throw failure;
            }
            Host.Return(pooled, cacheSlot);
            return result;
        }
        finally
        {
            Host.Exit();
        }
    }

    private TResult EvaluateOn<TResult>(PooledInstance pooled, UdfPreparedArguments arguments, in UdfDocument document)
    {
        var binding = Host.Bind(pooled);
        binding.Load(this, arguments);
        // From here on the call counts as started (see RecordSingleFailure).
        binding.Context.SetDocument(document);
        long start = BeginCall(binding);
        ulong bits = Invoker.Invoke(binding.Instance, binding.Slots.AsSpan(0, _wasmParameters.Length));
        EndCall(binding, start);
        // Converted before the instance is reset: a string result is read from guest memory.
        if (!UdfResultConversion.TryFromBits(bits, Returns[0], out TResult result))
            result = UdfResultConversion.To<TResult>(ToValue(bits, Returns[0], binding));
        binding.Context.Clear();
        RecordCalls(binding, 1, 0);
        return result;
    }

    /// <summary>
    /// Counts a failed single evaluation (an error of a started call, or a failure before the guest
    /// ran), marks its instance for discarding and returns the exception to throw.
    /// </summary>
    private Exception RecordSingleFailure(PooledInstance pooled, Exception exception)
    {
        pooled.MarkBroken();
        if (pooled.Tag is UdfInstanceBinding { Context.HasDocument: true } binding)
        {
            binding.Deadline?.End();
            binding.Context.Clear();
            RecordCalls(binding, 1, 1);
        }
        else
        {
            RecordFailure();
        }
        return exception as UdfExecutionException ?? new UdfExecutionException(DisplayName, -1, exception);
    }

    /// <summary>An instance from the host, or the failure recorded and wrapped.</summary>
    private PooledInstance RentFor(int cacheSlot)
    {
        try
        {
            return Host.Rent(cacheSlot);
        }
        catch (Exception exception) when (exception is WasmException or InvalidOperationException)
        {
            RecordFailure();
            throw new UdfExecutionException(DisplayName, -1, exception);
        }
    }

    private UdfValue EvaluateOne(UdfInstanceBinding binding, out UdfValue[]? all)
    {
        all = null;
        long start = BeginCall(binding);
        try
        {
            if (Returns.Length <= 1)
            {
                ulong bits = Invoker.Invoke(binding.Instance, binding.Slots.AsSpan(0, _wasmParameters.Length));
                return Returns.Length == 0 ? UdfValue.None : ToValue(bits, Returns[0], binding);
            }
            all = InvokeMultiple(binding);
            return all.Length == 0 ? UdfValue.None : all[0];
        }
        finally
        {
            EndCall(binding, start);
        }
    }

    /// <summary>
    /// Arms the limits of one guest call (fuel, the watchdog); returns its start timestamp when its
    /// duration is measured, else 0. Durations are sampled (see UdfRegistryOptions.DurationSampleInterval):
    /// two clock reads cost as much as a small UDF.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private long BeginCall(UdfInstanceBinding binding)
    {
        bool timed = TakeTimingSample(binding) || _duration.Enabled;
        if (Host.Fuel is long fuel) binding.Instance.Fuel = fuel;
        binding.Deadline?.Begin();
        return timed ? Stopwatch.GetTimestamp() : 0;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void EndCall(UdfInstanceBinding binding, long start)
    {
        binding.Deadline?.End();
        if (start != 0) RecordDuration(Stopwatch.GetTimestamp() - start);
    }

    /// <summary>
    /// Whether to measure this evaluation: the UDF's first evaluations all are (so short runs get real
    /// percentiles), then one in <see cref="UdfRegistryOptions.DurationSampleInterval"/> per instance.
    /// The warm-up count is shared and decremented without a lock: a lost decrement only measures one more.
    /// </summary>
    private bool TakeTimingSample(UdfInstanceBinding binding)
    {
        if (_warmUpMeasurements > 0)
        {
            _warmUpMeasurements--;
            return true;
        }
        return binding.TakeTimingSample(_durationSampleInterval);
    }

    /// <summary>A call of an export with several results (rare: not worth a path without allocation).</summary>
    private UdfValue[] InvokeMultiple(UdfInstanceBinding binding)
    {
        var results = new ulong[Returns.Length];
        Invoker.Invoke(binding.Instance, binding.Slots.AsSpan(0, _wasmParameters.Length), results);
        var values = new UdfValue[Returns.Length];
        for (int i = 0; i < values.Length; i++) values[i] = ToValue(results[i], Returns[i], binding);
        return values;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static UdfValue ToValue(ulong bits, UdfType type, UdfInstanceBinding binding) => type switch
    {
        UdfType.I32 => UdfValue.FromInt32((int)bits),
        UdfType.I64 => UdfValue.FromInt64((long)bits),
        UdfType.F32 => UdfValue.FromSingle(BitConverter.Int32BitsToSingle((int)bits)),
        UdfType.F64 => UdfValue.FromDouble(BitConverter.Int64BitsToDouble((long)bits)),
        UdfType.Bool => UdfValue.FromBoolean((uint)bits != 0),
        _ => StringResult(bits, binding),
    };

    /// <summary>A string result is (pointer &lt;&lt; 32) | byte length.</summary>
    private static UdfValue StringResult(ulong bits, UdfInstanceBinding binding) =>
        UdfValue.FromString(Encoding.UTF8.GetString(binding.Instance.ReadMemory((long)(bits >> 32), (int)(uint)bits)));

    private void RecordCalls(UdfInstanceBinding binding, int calls, int errors)
    {
        binding.Count(this, calls, errors);
        // Enabled is one field read; Add walks the listener list even when it is empty.
        if (_calls.Enabled) _calls.Add(calls, _nameTag, _versionTag, _backendTag);
        if (errors > 0 && _instruments.Errors.Enabled) _instruments.Errors.Add(errors, _nameTag, _versionTag, _backendTag);
    }

    private void RecordDuration(long elapsed)
    {
        Histogram.RecordDuration(elapsed);
        if (_duration.Enabled)
            _duration.Record(elapsed * 1000.0 / Stopwatch.Frequency, _nameTag, _versionTag, _backendTag);
    }

    /// <summary>Counts a call that failed before the guest ran (bad arguments, no instance).</summary>
    public void RecordFailure()
    {
        Histogram.AddCalls(1, 1);
        _instruments.Calls.Add(1, _nameTag, _versionTag, _backendTag);
        _instruments.Errors.Add(1, _nameTag, _versionTag, _backendTag);
    }
}
