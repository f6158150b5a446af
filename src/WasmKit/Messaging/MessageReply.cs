namespace WasmKit.Messaging;

/// <summary>The reply to a request made from .NET (<see cref="MessageEndpoint.RequestAsync"/>).</summary>
/// <param name="Sender">The component that replied.</param>
/// <param name="Payload">The reply's bytes (empty when the handler succeeded without replying).</param>
/// <param name="Codec">The reply's codec tag.</param>
public sealed record MessageReply(string Sender, ReadOnlyMemory<byte> Payload, int Codec);
