namespace WasmKit.Samples.Ledger;

/// <summary>
/// Reproducible worlds and command streams for the sample, the tests and the benchmarks: the same seed gives
/// the same accounts and commands everywhere. About 5% of the commands are meant to be refused (unknown
/// accounts, invalid amounts), and withdrawals larger than deposits make insufficient funds common.
/// </summary>
public static class LedgerWorkload
{
    /// <summary>An account id no world has.</summary>
    public const uint MissingAccount = 999_999_999;

    /// <summary>A world of accounts with scattered ids and balances of 0 to 5,000.</summary>
    /// <param name="accounts">How many accounts.</param>
    /// <param name="seed">The seed.</param>
    /// <returns>(id, balance) pairs.</returns>
    public static (uint Id, long Balance)[] CreateWorld(int accounts, ulong seed)
    {
        var random = new SplitMix64(seed);
        var world = new (uint, long)[accounts];
        for (int i = 0; i < accounts; i++) world[i] = (1000 + (uint)i * 7, (long)random.Next(5001));
        return world;
    }

    /// <summary>A command stream over a world's accounts.</summary>
    /// <param name="count">How many commands.</param>
    /// <param name="world">The accounts commands refer to.</param>
    /// <param name="seed">The seed.</param>
    /// <returns>The commands.</returns>
    public static LedgerCommand[] CreateCommands(int count, IReadOnlyList<(uint Id, long Balance)> world, ulong seed)
    {
        var random = new SplitMix64(seed);
        uint Pick() => world[(int)random.Next((ulong)world.Count)].Id;
        var commands = new LedgerCommand[count];
        for (int i = 0; i < count; i++)
        {
            ulong roll = random.Next(100);
            commands[i] = roll switch
            {
                < 40 => LedgerCommand.Deposit(Pick(), 1 + (long)random.Next(1000)),
                < 70 => LedgerCommand.Withdraw(Pick(), 1 + (long)random.Next(1500)),
                < 95 => LedgerCommand.Transfer(Pick(), Pick(), 1 + (long)random.Next(1000)),
                < 97 => LedgerCommand.Deposit(MissingAccount, 10),
                < 98 => LedgerCommand.Transfer(Pick(), MissingAccount, 10),
                _ => LedgerCommand.Withdraw(Pick(), -(long)random.Next(3)),
            };
        }
        return commands;
    }

    /// <summary>A small, fast, seedable generator (SplitMix64), the same on every runtime.</summary>
    private struct SplitMix64(ulong seed)
    {
        private ulong _state = seed;

        public ulong Next(ulong bound)
        {
            _state += 0x9E3779B97F4A7C15;
            ulong z = _state;
            z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9;
            z = (z ^ (z >> 27)) * 0x94D049BB133111EB;
            return (z ^ (z >> 31)) % bound;
        }
    }
}
