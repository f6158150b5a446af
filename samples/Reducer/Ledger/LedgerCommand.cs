using System.Runtime.InteropServices;

namespace WasmKit.Samples.Ledger;

/// <summary>What a command asks for.</summary>
public enum LedgerOp : uint
{
    /// <summary>Not a known command (JSON names the reducer does not know decode to it).</summary>
    Unknown = 0,

    /// <summary>Adds the amount to the account.</summary>
    Deposit = 1,

    /// <summary>Takes the amount from the account, if it has enough.</summary>
    Withdraw = 2,

    /// <summary>Moves the amount from the account to <see cref="LedgerCommand.To"/>; the sender also pays the batch's transfer fee.</summary>
    Transfer = 3,
}

/// <summary>
/// One command, laid out exactly as the binary format's 24-byte record (op, account, to, reserved, amount;
/// little-endian), so a batch crosses the boundary as one copy.
/// </summary>
/// <param name="Op">What to do.</param>
/// <param name="Account">The account acted on (the sender of a transfer).</param>
/// <param name="To">The receiver of a transfer; 0 otherwise.</param>
/// <param name="Reserved">Always 0.</param>
/// <param name="Amount">The amount, in cents; 1 to <see cref="BankLedger.MaximumAmount"/>.</param>
[StructLayout(LayoutKind.Sequential, Pack = 4)]
public readonly record struct LedgerCommand(LedgerOp Op, uint Account, uint To, uint Reserved, long Amount)
{
    /// <summary>A deposit.</summary>
    public static LedgerCommand Deposit(uint account, long amount) => new(LedgerOp.Deposit, account, 0, 0, amount);

    /// <summary>A withdrawal.</summary>
    public static LedgerCommand Withdraw(uint account, long amount) => new(LedgerOp.Withdraw, account, 0, 0, amount);

    /// <summary>A transfer.</summary>
    public static LedgerCommand Transfer(uint from, uint to, long amount) => new(LedgerOp.Transfer, from, to, 0, amount);
}
