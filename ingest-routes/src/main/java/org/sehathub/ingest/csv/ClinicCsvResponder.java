package org.sehathub.ingest.csv;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.util.List;
import org.apache.camel.Exchange;
import org.sehathub.ingest.FileInbox;
import org.sehathub.ingest.Inbound;
import org.sehathub.ingest.IngestResponder;
import org.sehathub.ingest.Mapped;
import org.sehathub.ingest.Refusal;
import org.sehathub.ingest.Refused;
import org.sehathub.ingest.Stored;
import org.sehathub.ingest.http.HttpRequests;
import org.sehathub.mappers.MappingIssue;

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
    public void accepted(Exchange exchange, Stored stored) {
        Mapped mapped = stored.mapped();
        CsvReport report = new CsvReport(
                layoutName(stored.inbound()),
                stored.inbound().sender(),
                stored.inbound().messageId(),
                200,
                stored.duplicate(),
                mapped.rows().read(),
                mapped.rows().mapped(),
                mapped.rows().rejected(),
                rows(mapped.issues(MappingIssue.Severity.ERROR)),
                rows(mapped.issues(MappingIssue.Severity.WARNING)),
                stored.storedIds(),
                stored.deadLetterId(),
                null);
        answer(exchange, stored.inbound(), report, mapped.rows().rejected() > 0, false);
    }

    /**
     * Nothing was stored. The rows named are the mapper's rejected rows, or, for a file mapped and
     * then refused by the sink, the sink's reason.
     */
    @Override
    public void refused(Exchange exchange, Refused refused) {
        Refusal refusal = refused.refusal();
        Mapped mapped = refused.mapped();
        List<MappingIssue> issues = mapped != null ? mapped.issues() : refusal.issues();
        List<MappingIssue> rejected = mapped != null && refusal.kind() != Refusal.Kind.UNMAPPABLE
                ? refusal.issues()
                : bySeverity(issues, MappingIssue.Severity.ERROR);
        CsvReport report = new CsvReport(
                layoutName(refused.inbound()),
                refused.inbound().sender(),
                refused.inbound().messageId(),
                refusal.kind().httpStatus(),
                false,
                mapped != null ? mapped.rows().read() : 0,
                0,
                mapped != null ? mapped.rows().read() : 0,
                rows(rejected),
                rows(bySeverity(issues, MappingIssue.Severity.WARNING)),
                List.of(),
                refused.deadLetterId(),
                refusal.summary());
        answer(exchange, refused.inbound(), report, true, inbox.retriesLater(refused));
    }

    private void answer(Exchange exchange, Inbound inbound, CsvReport report, boolean failed, boolean retriedLater) {
        byte[] json = json(report);
        CsvUpload upload = inbound.envelope(CsvUpload.class);
        if (upload != null && upload.file() != null && !retriedLater) {
            inbox.archive(upload.file(), failed ? json : null);
        }
        HttpRequests.response(exchange, report.status(), MEDIA_TYPE, json);
    }

    private static String layoutName(Inbound inbound) {
        CsvUpload upload = inbound.envelope(CsvUpload.class);
        return upload != null ? upload.layoutName() : null;
    }

    private static List<MappingIssue> bySeverity(List<MappingIssue> issues, MappingIssue.Severity severity) {
        return issues.stream().filter(i -> i.severity() == severity).toList();
    }

    private static List<CsvReport.Row> rows(List<MappingIssue> issues) {
        return issues.stream().map(CsvReport.Row::of).toList();
    }

    static byte[] json(Object value) {
        try {
            return JSON.writeValueAsBytes(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write a report", e);
        }
    }
}
