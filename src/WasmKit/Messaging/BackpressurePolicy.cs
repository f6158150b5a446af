namespace WasmKit.Messaging;

/// <summary>What a send does when the target's mailbox is full.</summary>
public enum BackpressurePolicy
{
    /// <summary>
    /// The sender waits for room, up to <see cref="MailboxOptions.SendWaitTimeout"/>, then gets <see cref="MessageStatus.MailboxFull"/>.
    /// With background delivery a waiting sender delivers the mailbox itself when no one else does; a handler
    /// sending to its own full mailbox cannot, and gets <see cref="MessageStatus.MailboxFull"/> after the timeout.
    /// </summary>
    Wait,

    /// <summary>The new message is dropped and counted; the sender gets <see cref="MessageStatus.Dropped"/> (a success: fire and forget).</summary>
    DropNewest,

    /// <summary>The sender gets <see cref="MessageStatus.MailboxFull"/> at once.</summary>
    Reject,
}
