// TEMPORARY stand-ins for the components helper's types (UDF-CONTRACT.md), so the registry builds before they land.
// Deleted when branch `components` is merged.
#pragma warning disable CS1591
using System.Collections.Concurrent;
using System.Text;
using System.Text.Json;

namespace WasmKit.Pooling
{
    public sealed class InstancePoolOptions
    {
        public int MaximumInstances { get; init; } = Environment.ProcessorCount * 2;
        public int PrewarmCount { get; init; }
        public TimeSpan IdleTimeout { get; init; } = TimeSpan.FromMinutes(5);
        public StoreLimits? StoreLimits { get; init; }
        public long? FuelPerRent { get; init; }
        public Func<Store, object?>? StoreData { get; init; }
    }

    public sealed class InstancePool : IDisposable
    {
        private readonly ConcurrentBag<PooledInstance> _idle = new();
        private readonly Linker _linker;
        private readonly InstancePoolOptions _options;

        public InstancePool(Module module, Linker linker, InstancePoolOptions? options = null)
        {
            if (!module.Engine.Options.ResettableInstances) throw new ArgumentException("needs ResettableInstances", nameof(module));
            Module = module;
            _linker = linker;
            _options = options ?? new InstancePoolOptions();
        }

        public Module Module { get; }

        public PooledInstance Rent(TimeSpan? timeout = null, CancellationToken cancellationToken = default)
        {
            if (!_idle.TryTake(out var pooled))
            {
                var store = new Store(Module.Engine, _options.StoreLimits);
                store.Data = _options.StoreData?.Invoke(store);
                pooled = new PooledInstance(this, _linker.Instantiate(store, Module), store);
            }
            pooled.Returned = false;
            if (_options.FuelPerRent is long fuel && Module.Engine.Options.ConsumeFuel) pooled.Store.Fuel = fuel;
            return pooled;
        }

        public void Return(PooledInstance instance)
        {
            if (instance.Returned) return;
            instance.Returned = true;
            if (instance.Instance.HasTrapped || instance.Broken) return;
            instance.Instance.Reset();
            _idle.Add(instance);
        }

        public void Dispose() => _idle.Clear();
    }

    public sealed class PooledInstance : IDisposable
    {
        private readonly InstancePool _pool;

        internal PooledInstance(InstancePool pool, Instance instance, Store store)
        {
            _pool = pool;
            Instance = instance;
            Store = store;
        }

        internal bool Returned;
        internal bool Broken;

        public Instance Instance { get; }
        public Store Store { get; }
        public void MarkBroken() => Broken = true;
        public void Dispose() => _pool.Return(this);
    }
}

namespace WasmKit.Udf
{
    public sealed class DocumentContext
    {
        internal JsonElement Document;
        internal bool HasDocument;
        internal string? Id;
        internal double Score;

        public void SetDocument(JsonElement document, string? id = null, double score = 0)
        {
            Document = document;
            HasDocument = true;
            Id = id;
            Score = score;
        }

        public void Clear() => HasDocument = false;

        public Action<string>? Log { get; set; }
    }

    public static class DocumentHostFunctions
    {
        public const string ModuleName = "wasmkit";

        public static void Define(Linker linker)
        {
            linker.DefineFunction(ModuleName, "get_field_int64", (Caller caller, int ptr, int len, int outPtr) =>
            {
                if (!TryField(caller, ptr, len, out var e)) return -1;
                if (e.ValueKind != JsonValueKind.Number || !e.TryGetInt64(out long v)) return -2;
                caller.Memory!.Write(outPtr, v);
                return 0;
            });
            linker.DefineFunction(ModuleName, "get_field_float64", (Caller caller, int ptr, int len, int outPtr) =>
            {
                if (!TryField(caller, ptr, len, out var e)) return -1;
                if (e.ValueKind != JsonValueKind.Number) return -2;
                caller.Memory!.Write(outPtr, e.GetDouble());
                return 0;
            });
            linker.DefineFunction(ModuleName, "has_field", (Caller caller, int ptr, int len) => TryField(caller, ptr, len, out _) ? 1 : 0);
            linker.DefineFunction(ModuleName, "get_score", (Caller caller) => ((DocumentContext)caller.Store.Data!).Score);
        }

        private static bool TryField(Caller caller, int ptr, int len, out JsonElement element)
        {
            element = default;
            var context = (DocumentContext)caller.Store.Data!;
            if (!context.HasDocument) return false;
            string name = Encoding.UTF8.GetString(caller.Memory!.GetSpan(ptr, len));
            return context.Document.TryGetProperty(name, out element) && element.ValueKind != JsonValueKind.Null;
        }
    }
}
