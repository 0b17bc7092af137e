package dev.amber.server.http;

import java.nio.ByteBuffer;

/** A binary WebSocket message's bytes, copied out of the buffer the server lends for the callback. */
public final class WebSocketData {

    private WebSocketData() {}

    public static byte[] bytes(ByteBuffer data) {
        byte[] bytes = new byte[data.remaining()];
        data.duplicate().get(bytes);
        return bytes;
    }
}
