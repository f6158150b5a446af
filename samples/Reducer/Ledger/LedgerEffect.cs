using System.Runtime.InteropServices;

namespace WasmKit.Samples.Ledger;

/// <summary>What kind of effect a command produced.</summary>
public enum LedgerEffectKind : uint
{
    /// <summary>The command was applied; an audit record.</summary>
    Audit = 1,

    /// <summary>The command was refused; see <see cref="LedgerEffect.Reason"/>.</summary>
    Rejected = 2,
}

/// <summary>Why a command was refused.</summary>
public enum LedgerRejection : uint
{
    /// <summary>Not refused.</summary>
    None = 0,

    /// <summary>The account (or a transfer's receiver) does not exist.</summary>
    UnknownAccount = 1,

    /// <summary>The balance is below the amount (plus the transfer fee).</summary>
    InsufficientFunds = 2,

    /// <summary>The amount is not between 1 and <see cref="BankLedger.MaximumAmount"/>.</summary>
    InvalidAmount = 3,

    /// <summary>The command's op is unknown.</summary>
    UnknownCommand = 4,
}

/// <summary>
/// One effect, laid out exactly as the binary format's 40-byte record (kind, index, op, reason, account, to,
/// amount, balance; little-endian).
/// </summary>
/// <param name="Kind">Audit or rejection.</param>
/// <param name="Index">The command's position in its batch.</param>
/// <param name="Op">The command's op.</param>
/// <param name="Reason">Why it was refused; <see cref="LedgerRejection.None"/> for an audit record.</param>
/// <param name="Account">The command's account.</param>
/// <param name="To">The command's receiver.</param>
/// <param name="Amount">The command's amount.</param>
/// <param name="Balance">The account's balance after the command; 0 when the account does not exist.</param>
[StructLayout(LayoutKind.Sequential, Pack = 4)]
public readonly record struct LedgerEffect(
    LedgerEffectKind Kind, uint Index, LedgerOp Op, LedgerRejection Reason, uint Account, uint To, long Amount, long Balance);
