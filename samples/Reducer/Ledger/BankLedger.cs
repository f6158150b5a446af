namespace WasmKit.Samples.Ledger;

/// <summary>
/// The bank-ledger reducer in C#: the same rules, in the same order, as fixtures/reducers/assemblyscript/bank_ledger.ts,
/// so both produce the same state and effects. Accounts keep their load order (which the serialized state follows).
/// </summary>
public sealed class BankLedger
{
    /// <summary>The largest amount (and transfer fee) accepted; keeps amount + fee from overflowing.</summary>
    public const long MaximumAmount = 1_000_000_000_000_000;

    private readonly List<uint> _ids = [];
    private readonly List<long> _balances = [];
    private readonly Dictionary<uint, int> _index = [];

    /// <summary>Creates a ledger with these accounts, in this order.</summary>
    /// <param name="accounts">(id, balance) pairs; ids are unique.</param>
    /// <exception cref="ArgumentException">An id repeats.</exception>
    public BankLedger(IEnumerable<(uint Id, long Balance)> accounts)
    {
        foreach (var (id, balance) in accounts)
        {
            if (!_index.TryAdd(id, _ids.Count)) throw new ArgumentException($"Account {id} appears twice.", nameof(accounts));
            _ids.Add(id);
            _balances.Add(balance);
        }
    }

    /// <summary>How many accounts there are.</summary>
    public int Count => _ids.Count;

    /// <summary>The accounts, in load order.</summary>
    public IEnumerable<(uint Id, long Balance)> Accounts => _ids.Select((id, i) => (id, _balances[i]));

    /// <summary>Applies a batch, appending one effect per command.</summary>
    /// <param name="commands">The batch.</param>
    /// <param name="transferFee">The fee a transfer's sender pays on top of the amount (the loaded data).</param>
    /// <param name="effects">Receives the effects.</param>
    public void Apply(ReadOnlySpan<LedgerCommand> commands, long transferFee, List<LedgerEffect> effects)
    {
        for (int i = 0; i < commands.Length; i++) Execute((uint)i, commands[i], transferFee, effects);
    }

    private void Execute(uint index, in LedgerCommand command, long fee, List<LedgerEffect> effects)
    {
        if (command.Op is < LedgerOp.Deposit or > LedgerOp.Transfer)
        {
            effects.Add(Rejected(index, command, LedgerRejection.UnknownCommand, 0));
            return;
        }
        if (!_index.TryGetValue(command.Account, out int from))
        {
            effects.Add(Rejected(index, command, LedgerRejection.UnknownAccount, 0));
            return;
        }
        long balance = _balances[from];
        if (command.Amount <= 0 || command.Amount > MaximumAmount)
        {
            effects.Add(Rejected(index, command, LedgerRejection.InvalidAmount, balance));
            return;
        }
        switch (command.Op)
        {
            case LedgerOp.Deposit:
                _balances[from] = balance + command.Amount;
                break;
            case LedgerOp.Withdraw:
                if (balance < command.Amount)
                {
                    effects.Add(Rejected(index, command, LedgerRejection.InsufficientFunds, balance));
                    return;
                }
                _balances[from] = balance - command.Amount;
                break;
            default:
                if (!_index.TryGetValue(command.To, out int to))
                {
                    effects.Add(Rejected(index, command, LedgerRejection.UnknownAccount, balance));
                    return;
                }
                if (balance < command.Amount + fee)
                {
                    effects.Add(Rejected(index, command, LedgerRejection.InsufficientFunds, balance));
                    return;
                }
                _balances[from] = balance - command.Amount - fee;
                _balances[to] += command.Amount;
                break;
        }
        effects.Add(new LedgerEffect(LedgerEffectKind.Audit, index, command.Op, LedgerRejection.None,
            command.Account, command.To, command.Amount, _balances[from]));
    }

    private static LedgerEffect Rejected(uint index, in LedgerCommand command, LedgerRejection reason, long balance) =>
        new(LedgerEffectKind.Rejected, index, command.Op, reason, command.Account, command.To, command.Amount, balance);
}
