package org.sehathub.server;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;

/**
 * An MLLP sender over a real socket, plain or TLS: one connection, messages sent and acknowledged in
 * turn.
 */
final class MllpTestClient implements AutoCloseable {

    private static final int START = 0x0b;
    private static final int END = 0x1c;
    private static final int CR = 0x0d;

    private final Socket socket;

    MllpTestClient(int port) {
        try {
            socket = new Socket("127.0.0.1", port);
            socket.setSoTimeout(60_000);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot connect to MLLP port " + port, e);
        }
    }

    /** Over TLS: the handshake (with the context's client certificate, if any) happens here. */
    MllpTestClient(int port, SSLContext tls) throws IOException {
        SSLSocket ssl = (SSLSocket) tls.getSocketFactory().createSocket("127.0.0.1", port);
        ssl.setSoTimeout(20_000);
        ssl.startHandshake();
        socket = ssl;
    }

    /** Sends one message (segments separated by CR) and returns the ACK text. */
    String send(String message) {
        return send(message.getBytes(StandardCharsets.UTF_8));
    }

    /** Sends one message's bytes as they are (any character set) and returns the ACK text. */
    String send(byte[] message) {
        try {
            OutputStream out = socket.getOutputStream();
            out.write(START);
            out.write(message);
            out.write(END);
            out.write(CR);
            out.flush();
            return readFrame(socket.getInputStream());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String readFrame(InputStream in) throws IOException {
        ByteArrayOutputStream frame = new ByteArrayOutputStream();
        int b;
        while ((b = in.read()) != START) {
            if (b == -1) {
                throw new IOException("Connection closed before an acknowledgement");
            }
        }
        while ((b = in.read()) != END) {
            if (b == -1) {
                throw new IOException("Connection closed inside an acknowledgement");
            }
            frame.write(b);
        }
        in.read();
        return frame.toString(StandardCharsets.UTF_8);
    }

    /** MSA-1 of an ACK: AA, AE or AR. */
    static String ackCode(String ack) {
        return field(ack, "MSA", 1);
    }

    /** Field {@code field} of the first {@code segment}; for MSH, MSH-1 is the separator itself. */
    static String field(String message, String segment, int field) {
        for (String line : message.split("\r")) {
            if (line.startsWith(segment + "|")) {
                String[] fields = line.split("\\|", -1);
                int index = segment.equals("MSH") ? field - 1 : field;
                return index < fields.length ? fields[index] : "";
            }
        }
        return null;
    }

    @Override
    public void close() {
        try {
            socket.close();
        } catch (IOException ignored) {
            // Closing a test connection; nothing to do.
        }
    }
}
