package org.sehathub.ingest.csv;

import java.io.ByteArrayInputStream;
import java.time.Clock;
import org.apache.camel.Exchange;
import org.sehathub.ingest.Digests;
import org.sehathub.ingest.InFlight;
import org.sehathub.ingest.Inbound;
import org.sehathub.ingest.LimitExceededException;
import org.sehathub.ingest.Mapped;
import org.sehathub.ingest.MessageRejectedException;
import org.sehathub.ingest.sink.MessageReceipt;
import org.sehathub.mappers.MappingException;
import org.sehathub.mappers.MappingIssue;
import org.sehathub.mappers.SourceInfo;
import org.sehathub.mappers.csv.ClinicCsvMapper;
import org.sehathub.mappers.csv.CsvMappingResult;
import org.sehathub.mappers.terminology.TerminologyMaps;

/**
 * Maps a clinic's CSV file with {@link ClinicCsvMapper}. Good rows go on to the sink; bad rows stay
 * in the {@link CsvMappingResult} for the report and the dead letter. A file without a single good
 * row is refused as a whole (422), like a file the mapper cannot read at all.
 *
 * <p>The receipt is the clinic + {@code csv-<layout>-<SHA-256 of the bytes>}: the same file sent
 * again stores nothing new. A replayed dead letter gets a receipt of its own ({@code
 * ...#replay-<dead letter>-<attempt>}), because its good rows were stored under the original one
 * and the point of a replay is to store the rows that failed; the Bundle's writes are idempotent,
 * so the rows stored before are not duplicated.
 */
public class ClinicCsvTranslator {

    public static final String CHANNEL = "csv";

    private final ClinicCsvMapper mapper;
    private final int maxRows;

    /** @param maxRows the most data rows a file may hold; every row of a file is stored in one transaction */
    public ClinicCsvTranslator(TerminologyMaps terminology, Clock clock, int maxRows) {
        this.mapper = new ClinicCsvMapper(terminology, clock);
        this.maxRows = maxRows;
    }

    /** Maps the exchange's CSV {@link Inbound}: its good rows, bad rows and counts are the next body. */
    public Mapped translate(Exchange exchange) {
        Inbound inbound = InFlight.body(exchange, Inbound.class);
        CsvUpload upload = inbound.envelope(CsvUpload.class);
        if (upload.layout() == null) {
            throw new MessageRejectedException(
                    "layout",
                    "unknown layout '" + upload.layoutName()
                            + "'; layouts: patients, visits, lab-results, immunizations",
                    "200");
        }
        if (upload.facility() == null) {
            throw new MessageRejectedException(
                    upload.file() != null ? "file name" : "X-Sehat-Facility",
                    upload.file() != null
                            ? "the file name must start with the clinic's name and two underscores, e.g. bhu-chak-12__patients.csv"
                            : "the X-Sehat-Facility header naming the clinic is required",
                    "101");
        }
        String hash = Digests.sha256(inbound.payload());
        String messageId = "csv-" + upload.layout().urlName() + "-" + hash;
        String receiptId = inbound.isReplay()
                ? messageId + "#replay-" + inbound.replayOf() + "-"
                        + inbound.replay().attempt()
                : messageId;
        SourceInfo source = new SourceInfo(upload.sourceSystem(), upload.facility(), messageId, inbound.receivedAt());
        CsvMappingResult result = mapper.map(upload.layout(), new ByteArrayInputStream(inbound.payload()), source);
        int rows = result.rowsMapped() + result.rowsRejected();
        if (rows > maxRows) {
            throw new LimitExceededException("rows", rows, maxRows, "sehat.ingest.csv.max-rows");
        }
        return new Mapped(
                inbound.identified(upload.facility(), messageId),
                result.bundle(),
                new MessageReceipt(CHANNEL, upload.facility(), receiptId, hash, upload.facility()),
                result.issues(),
                new Mapped.Rows(result.rowsRead(), result.rowsMapped(), result.rowsRejected()));
    }

    /** Refuses the file as a whole (422) when not one of its rows could be mapped. */
    public Mapped requireAGoodRow(Exchange exchange) {
        Mapped mapped = InFlight.body(exchange, Mapped.class);
        if (mapped.rows().mapped() == 0 && mapped.rows().rejected() > 0) {
            throw new MappingException(mapped.issues(MappingIssue.Severity.ERROR));
        }
        return mapped;
    }
}
