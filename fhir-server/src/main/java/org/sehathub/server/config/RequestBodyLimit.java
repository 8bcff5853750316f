package org.sehathub.server.config;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.Enumeration;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Bounds what a FHIR request body may cost before HAPI buffers and parses it: a declared
 * {@code Content-Length} over the limit is answered 413 without reading a byte; a chunked or
 * gzip-compressed body is read here up to the limit (a gzip bomb stops at the limit of
 * <em>decompressed</em> bytes) and answered 413 as soon as it goes over. Bodies within the limit
 * reach HAPI as they were (gzip ones decompressed). Runs after Spring Security, so a caller without
 * a valid token costs nothing but its headers.
 */
public class RequestBodyLimit extends OncePerRequestFilter {

    private final long maxBytes;

    public RequestBodyLimit(long maxBytes) {
        this.maxBytes = maxBytes;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        long declared = request.getContentLengthLong();
        if (declared > maxBytes) {
            tooLarge(response, "declares " + declared + " bytes");
            return;
        }
        boolean gzip = "gzip"
                .equalsIgnoreCase(
                        String.valueOf(request.getHeader("Content-Encoding")).trim());
        if (!gzip && declared >= 0) {
            chain.doFilter(request, response);
            return;
        }
        byte[] body;
        try (InputStream raw = request.getInputStream();
                InputStream in = gzip ? new GZIPInputStream(raw) : raw) {
            body = in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, maxBytes + 1));
        } catch (ZipException e) {
            response.sendError(
                    HttpServletResponse.SC_BAD_REQUEST, "Content-Encoding says gzip, but the body is not gzip");
            return;
        }
        if (body.length > maxBytes) {
            tooLarge(
                    response,
                    gzip
                            ? "decompresses to more than " + maxBytes + " bytes"
                            : "is longer than " + maxBytes + " bytes");
            return;
        }
        chain.doFilter(new Buffered(request, body, gzip), response);
    }

    private void tooLarge(HttpServletResponse response, String what) throws IOException {
        response.setStatus(HttpServletResponse.SC_REQUEST_ENTITY_TOO_LARGE);
        response.setContentType("application/fhir+json");
        response.setHeader("Connection", "close");
        String diagnostics = "The request body " + what + "; the limit is " + maxBytes
                + " bytes (sehat.fhir.max-request-bytes). Send large loads as several Bundles.";
        response.getOutputStream()
                .write(("{\"resourceType\":\"OperationOutcome\",\"issue\":[{\"severity\":\"error\","
                                + "\"code\":\"too-costly\",\"diagnostics\":\"" + diagnostics + "\"}]}")
                        .getBytes(StandardCharsets.UTF_8));
    }

    /** The request with its body read (and decompressed): HAPI sees a plain body of known length. */
    private static final class Buffered extends HttpServletRequestWrapper {
        private final byte[] body;
        private final boolean decompressed;

        Buffered(HttpServletRequest request, byte[] body, boolean decompressed) {
            super(request);
            this.body = body;
            this.decompressed = decompressed;
        }

        @Override
        public ServletInputStream getInputStream() {
            ByteArrayInputStream in = new ByteArrayInputStream(body);
            return new ServletInputStream() {
                @Override
                public int read() {
                    return in.read();
                }

                @Override
                public int read(byte[] b, int off, int len) {
                    return in.read(b, off, len);
                }

                @Override
                public boolean isFinished() {
                    return in.available() == 0;
                }

                @Override
                public boolean isReady() {
                    return true;
                }

                @Override
                public void setReadListener(ReadListener listener) {
                    throw new UnsupportedOperationException("the body is already read");
                }
            };
        }

        @Override
        public int getContentLength() {
            return body.length;
        }

        @Override
        public long getContentLengthLong() {
            return body.length;
        }

        @Override
        public String getHeader(String name) {
            if (decompressed && "Content-Encoding".equalsIgnoreCase(name)) {
                return null;
            }
            if ("Content-Length".equalsIgnoreCase(name)) {
                return String.valueOf(body.length);
            }
            return super.getHeader(name);
        }

        @Override
        public Enumeration<String> getHeaders(String name) {
            if (decompressed && "Content-Encoding".equalsIgnoreCase(name)) {
                return Collections.emptyEnumeration();
            }
            return super.getHeaders(name);
        }
    }
}
