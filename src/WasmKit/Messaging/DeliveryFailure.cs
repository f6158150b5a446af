namespace WasmKit.Messaging;

/// <summary>A message lost by its handler (<see cref="MessageBrokerOptions.DeliveryFailed"/>): the mailbox goes on with the next one.</summary>
/// <param name="Target">The component whose handler failed.</param>
/// <param name="Sender">The message's sender.</param>
/// <param name="Status"><see cref="MessageStatus.HandlerFailed"/> or <see cref="MessageStatus.HandlerTrapped"/>.</param>
/// <param name="HandlerCode">The handler's non-zero result, for <see cref="MessageStatus.HandlerFailed"/>.</param>
/// <param name="Error">The trap or exception, for <see cref="MessageStatus.HandlerTrapped"/>.</param>
public sealed record DeliveryFailure(string Target, string Sender, MessageStatus Status, int HandlerCode, Exception? Error);
