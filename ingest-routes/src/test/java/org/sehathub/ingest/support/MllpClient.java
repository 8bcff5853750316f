package org.sehathub.ingest.support;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/** A plain-socket MLLP sender, as a hospital's interface engine would be. */
public class MllpClient implements AutoCloseable {

    public static final byte START = 0x0b;
    public static final byte END = 0x1c;
    public static final byte CR = 0x0d;

    private final Socket socket;

    public MllpClient(int port) throws IOException {
        socket = new Socket();
        socket.connect(new InetSocketAddress("127.0.0.1", port), 5_000);
        socket.setSoTimeout(15_000);
    }

    public MllpClient timeout(int millis) throws IOException {
        socket.setSoTimeout(millis);
        return this;
    }

    /** Sends one framed message and waits for its acknowledgement. */
    public String send(String message) throws IOException {
        sendRaw(frame(message.getBytes(StandardCharsets.UTF_8)));
        return readAck();
    }

    public void sendRaw(byte[] bytes) throws IOException {
        OutputStream out = socket.getOutputStream();
        out.write(bytes);
        out.flush();
    }

    /** Reads up to the end of one frame; null when the server closed the connection instead. */
    public String readAck() throws IOException {
        InputStream in = socket.getInputStream();
        ByteArrayOutputStream ack = new ByteArrayOutputStream();
        int b;
        boolean started = false;
        while ((b = in.read()) != -1) {
            if (b == START) {
                started = true;
                continue;
            }
            if (b == END) {
                int cr = in.read();
                if (cr != CR) {
                    throw new IOException("frame not ended by CR");
                }
                return ack.toString(StandardCharsets.UTF_8);
            }
            if (started) {
                ack.write(b);
            }
        }
        return null;
    }

    /** True when the server has closed or reset the connection. */
    public boolean closedByServer() {
        try {
            return socket.getInputStream().read() == -1;
        } catch (IOException e) {
            return true;
        }
    }

    public static byte[] frame(byte[] message) {
        byte[] framed = new byte[message.length + 3];
        framed[0] = START;
        System.arraycopy(message, 0, framed, 1, message.length);
        framed[framed.length - 2] = END;
        framed[framed.length - 1] = CR;
        return framed;
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
