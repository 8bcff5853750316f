package org.sehathub.ingest.csv;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.util.List;
import org.apache.camel.Exchange;
import org.sehathub.ingest.FileInbox;
import org.sehathub.ingest.Inbound;
import org.sehathub.ingest.IngestResponder;
import org.sehathub.ingest.Refusal;
import org.sehathub.ingest.http.HttpRequests;
import org.sehathub.mappers.MappingIssue;
import org.sehathub.mappers.csv.CsvMappingResult;

/**
 * Answers a CSV upload with its {@link CsvReport}: as the HTTP response (200 when the good rows
 * are stored, whether or not some were rejected; 400, 409, 422, 503 when nothing was), or for a
 * file from an inbox by moving it to {@code done/} or, with the report beside it, {@code failed/}.
 */
public class ClinicCsvResponder implements IngestResponder {

    public static final String MEDIA_TYPE = "application/json";

    static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private final FileInbox inbox;

    public ClinicCsvResponder(FileInbox inbox) {
        this.inbox = inbox;
    }

    @Override
    public void accepted(Exchange exchange, Inbound inbound) {
        CsvMappingResult result = exchange.getProperty(ClinicCsvTranslator.RESULT, CsvMappingResult.class);
        CsvReport report = report(exchange, inbound, 200, result, null);
        answer(exchange, inbound, report, result.rowsRejected() > 0);
    }

    @Override
    public void refused(Exchange exchange, Inbound inbound) {
        Refusal refusal = inbound.refusal();
        CsvMappingResult result = exchange.getProperty(ClinicCsvTranslator.RESULT, CsvMappingResult.class);
        CsvReport report = report(exchange, inbound, refusal.kind().httpStatus(), result, refusal);
        answer(exchange, inbound, report, true);
    }

    private void answer(Exchange exchange, Inbound inbound, CsvReport report, boolean failed) {
        byte[] json = json(report);
        CsvUpload upload = exchange.getProperty(CsvUpload.PROPERTY, CsvUpload.class);
        if (upload != null && upload.file() != null && !inbox.retriesLater(inbound)) {
            inbox.archive(upload.file(), failed ? json : null);
        }
        HttpRequests.response(exchange, report.status(), MEDIA_TYPE, json);
    }

    private static CsvReport report(
            Exchange exchange, Inbound inbound, int status, CsvMappingResult result, Refusal refusal) {
        CsvUpload upload = exchange.getProperty(CsvUpload.PROPERTY, CsvUpload.class);
        List<MappingIssue> issues = result != null ? result.issues() : refusal.issues();
        List<CsvReport.Row> rejected = issues.stream()
                .filter(i -> i.severity() == MappingIssue.Severity.ERROR)
                .map(CsvReport.Row::of)
                .toList();
        if (result != null && refusal != null && refusal.kind() != Refusal.Kind.UNMAPPABLE) {
            // Mapped, then refused by the sink: the sink's reason is the one that counts.
            rejected = refusal.issues().stream().map(CsvReport.Row::of).toList();
        }
        List<CsvReport.Row> warnings = issues.stream()
                .filter(i -> i.severity() == MappingIssue.Severity.WARNING)
                .map(CsvReport.Row::of)
                .toList();
        boolean stored = refusal == null;
        return new CsvReport(
                upload != null ? upload.layoutName() : null,
                inbound.sender(),
                inbound.messageId(),
                status,
                stored && inbound.outcome() != null && inbound.outcome().duplicate(),
                result != null ? result.rowsRead() : 0,
                stored && result != null ? result.rowsMapped() : 0,
                result != null ? (stored ? result.rowsRejected() : result.rowsRead()) : 0,
                rejected,
                warnings,
                inbound.storedIds(),
                inbound.deadLetterId(),
                refusal != null ? refusal.summary() : null);
    }

    static byte[] json(Object value) {
        try {
            return JSON.writeValueAsBytes(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write a report", e);
        }
    }
}
