package org.sehathub.ingest.csv;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import org.apache.camel.Exchange;
import org.sehathub.ingest.BodyTooLargeException;
import org.sehathub.ingest.Inbound;
import org.sehathub.ingest.IngestChannel;
import org.sehathub.ingest.IngestResponder;
import org.sehathub.ingest.SenderPolicy;
import org.sehathub.ingest.deadletter.DeadLetter;
import org.sehathub.ingest.http.HttpRequests;
import org.sehathub.mappers.csv.CsvLayout;

/**
 * The first step of the CSV entry routes: who uploaded which layout, and the bytes.
 *
 * <p>The clinic is named by the {@code X-Sehat-Facility} header over HTTP, and by the file name in an
 * inbox: everything before the first {@code __} ({@code bhu-chak-12__march.csv} is from
 * {@code bhu-chak-12}). One inbox folder per layout then serves every clinic, and a clinic that
 * uploads by SFTP needs no header.
 */
public class ClinicCsvReceiver implements IngestChannel {

    public static final String HTTP_ROUTE = "csv-http-inbound";
    public static final String MEDIA_TYPE = "text/csv";
    static final String FACILITY_HEADER = "X-Sehat-Facility";
    static final String SOURCE_SYSTEM_HEADER = "X-Sehat-Source-System";

    private final Clock clock;
    private final ClinicCsvResponder responder;
    private final int maxBodyBytes;
    private final SenderPolicy senders;

    /** @param senders who may upload for the clinic in {@code X-Sehat-Facility} (a watched folder is the operator's) */
    public ClinicCsvReceiver(Clock clock, ClinicCsvResponder responder, int maxBodyBytes, SenderPolicy senders) {
        this.clock = clock;
        this.responder = responder;
        this.maxBodyBytes = maxBodyBytes;
        this.senders = senders;
    }

    public Inbound fromHttp(Exchange exchange) {
        String layoutName = HttpRequests.header(exchange, "layout");
        String sourceSystem = HttpRequests.header(exchange, SOURCE_SYSTEM_HEADER);
        CsvUpload upload = new CsvUpload(
                layoutName,
                CsvLayout.fromName(layoutName).orElse(null),
                HttpRequests.header(exchange, FACILITY_HEADER),
                sourceSystem != null ? sourceSystem : CsvUpload.DEFAULT_SOURCE_SYSTEM,
                null);
        Instant receivedAt = clock.instant();
        Inbound inbound = HttpRequests.receive(
                exchange, maxBodyBytes, payload -> inbound(upload, "http", HTTP_ROUTE, receivedAt, payload));
        senders.check(exchange, FACILITY_HEADER, upload.facility());
        return inbound;
    }

    /** Reads a file found in the inbox folder of {@code layout}. */
    public Inbound fromFile(Exchange exchange, CsvLayout layout) {
        Path file = Path.of(exchange.getMessage().getHeader(Exchange.FILE_PATH, String.class));
        String name = file.getFileName().toString();
        int separator = name.indexOf("__");
        String facility = separator > 0 ? name.substring(0, separator).strip() : null;
        CsvUpload upload = new CsvUpload(layout.urlName(), layout, facility, CsvUpload.DEFAULT_SOURCE_SYSTEM, file);
        String route = ClinicCsvRoute.fileRouteId(layout);
        Instant receivedAt = clock.instant();
        long size = exchange.getMessage().getHeader(Exchange.FILE_LENGTH, -1L, Long.class);
        if (size > maxBodyBytes) {
            // The same limit as over HTTP, checked before the file is read into memory.
            received(exchange, inbound(upload, "file", route, receivedAt, new byte[0]));
            throw new BodyTooLargeException(size, maxBodyBytes);
        }
        byte[] payload = exchange.getMessage().getBody(byte[].class);
        return received(exchange, inbound(upload, "file", route, receivedAt, payload));
    }

    /** Dead letters of every layout: {@code csv/<layout>}. */
    @Override
    public boolean owns(String source) {
        return source != null && source.startsWith(CsvUpload.SOURCE_PREFIX);
    }

    @Override
    public String processRoute() {
        return ClinicCsvRoute.PROCESS;
    }

    @Override
    public IngestResponder responder(Inbound inbound) {
        return responder;
    }

    /** A dead letter to process again; its source names the layout, its sender the clinic. */
    @Override
    public Inbound replay(DeadLetter letter, int attempt) {
        String layoutName = letter.source().substring(CsvUpload.SOURCE_PREFIX.length());
        CsvUpload upload = new CsvUpload(
                layoutName,
                CsvLayout.fromName(layoutName).orElse(null),
                letter.sender(),
                CsvUpload.DEFAULT_SOURCE_SYSTEM,
                null);
        return builder(upload, letter.transport(), "dead-letter-replay", letter.receivedAt(), letter.payload())
                .replay(new Inbound.Replay(letter.id(), attempt))
                .build();
    }

    private static Inbound inbound(
            CsvUpload upload, String transport, String route, Instant receivedAt, byte[] payload) {
        return builder(upload, transport, route, receivedAt, payload).build();
    }

    /** The file from its clinic; the translator names it by its content. */
    private static Inbound.Builder builder(
            CsvUpload upload, String transport, String route, Instant receivedAt, byte[] payload) {
        return Inbound.builder()
                .source(upload.source())
                .transport(transport)
                .route(route)
                .receivedAt(receivedAt)
                .payload(payload)
                .contentType(MEDIA_TYPE)
                .sender(upload.facility())
                .envelope(upload);
    }

    /** The file becomes the exchange body before any check, so that a refusal can answer it. */
    private static Inbound received(Exchange exchange, Inbound inbound) {
        exchange.getMessage().setBody(inbound);
        return inbound;
    }
}
