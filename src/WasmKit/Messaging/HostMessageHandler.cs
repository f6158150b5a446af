namespace WasmKit.Messaging;

/// <summary>Handles a message delivered to a <see cref="HostMessageEndpoint"/>; an exception loses that message only (counted and reported).</summary>
/// <param name="message">The message, valid during the call only.</param>
public delegate void HostMessageHandler(in IncomingMessage message);
