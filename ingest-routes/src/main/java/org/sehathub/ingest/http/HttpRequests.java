package org.sehathub.ingest.http;

import java.io.IOException;
import java.io.InputStream;
import java.util.function.Function;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.sehathub.ingest.BodyTooLargeException;
import org.sehathub.ingest.InFlight;
import org.sehathub.ingest.Inbound;

/** Reading what an HTTP request brought, within limits. */
public final class HttpRequests {

    private HttpRequests() {}

    /**
     * Receives an HTTP request as the {@link Inbound} {@code received} makes of its body: that
     * message, read within {@code limit}, becomes the exchange body (so that every later refusal,
     * a body too large included, is answered as that message: {@link #takeBody}).
     *
     * @param received the message made of a body (called with an empty one first, for a body that
     *     is refused before it is read)
     */
    public static Inbound receive(Exchange exchange, int limit, Function<byte[], Inbound> received) {
        byte[] payload = takeBody(exchange, limit, received.apply(new byte[0]));
        Inbound inbound = received.apply(payload);
        exchange.getMessage().setBody(inbound);
        return inbound;
    }

    /**
     * Takes the request body out of the exchange and reads it as bytes, at most {@code limit} of
     * them. {@code receiving} (the message being received, without its bytes) becomes the exchange
     * body first, so that a body over the limit is refused and answered as that message.
     *
     * @throws BodyTooLargeException when the declared or actual length is over the limit
     */
    static byte[] takeBody(Exchange exchange, int limit, InFlight receiving) {
        Message in = exchange.getMessage();
        Object body = in.getBody();
        // Converted before the body is replaced: platform-http may hand over a stream or bytes.
        byte[] converted = body instanceof InputStream || body == null ? null : in.getBody(byte[].class);
        in.setBody(receiving);
        Long declared = in.getHeader(Exchange.CONTENT_LENGTH, Long.class);
        if (declared != null && declared > limit) {
            throw new BodyTooLargeException(declared, limit);
        }
        if (body == null) {
            return new byte[0];
        }
        if (body instanceof InputStream stream) {
            try {
                byte[] bytes = stream.readNBytes(limit + 1);
                if (bytes.length > limit) {
                    throw new BodyTooLargeException(-1, limit);
                }
                return bytes;
            } catch (IOException e) {
                throw new IllegalStateException("cannot read the request body", e);
            }
        }
        if (converted.length > limit) {
            throw new BodyTooLargeException(converted.length, limit);
        }
        return converted;
    }

    /** A request header, stripped; null when absent or blank. */
    public static String header(Exchange exchange, String name) {
        String value = exchange.getMessage().getHeader(name, String.class);
        return value == null || value.isBlank() ? null : value.strip();
    }

    /**
     * Replaces the exchange's message headers with just the response's: platform-http copies
     * message headers into the HTTP response, and the request's own (Content-Length, Host, our
     * X-Sehat-*) must not be echoed back.
     */
    public static void response(Exchange exchange, int status, String contentType, Object body) {
        Message out = exchange.getMessage();
        out.removeHeaders("*");
        out.setHeader(Exchange.HTTP_RESPONSE_CODE, status);
        out.setHeader(Exchange.CONTENT_TYPE, contentType);
        out.setBody(body);
    }
}
