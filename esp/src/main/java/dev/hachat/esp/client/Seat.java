package dev.hachat.esp.client;

/** This agent's place in one chat. */
final class Seat {
  final String chatId;
  final String participantId;
  final String secureKey;
  volatile String endpoint;
  volatile EspClient attachedOn;
  volatile long lastIndex;
  volatile boolean closed;

  Seat(AcceptedChat chat, String endpoint, EspClient attachedOn) {
    this.chatId = chat.chatId();
    this.participantId = chat.participantId();
    this.secureKey = chat.secureKey();
    this.endpoint = endpoint;
    this.attachedOn = attachedOn;
    this.lastIndex = chat.nextPosition() - 1;
  }
}
