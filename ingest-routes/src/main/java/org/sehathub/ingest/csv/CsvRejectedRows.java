package org.sehathub.ingest.csv;

import java.util.List;
import org.apache.camel.Exchange;
import org.sehathub.ingest.InFlight;
import org.sehathub.ingest.Inbound;
import org.sehathub.ingest.Mapped;
import org.sehathub.ingest.SafeLog;
import org.sehathub.ingest.Stored;
import org.sehathub.ingest.deadletter.DeadLetterKeeper;
import org.sehathub.mappers.MappingIssue;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * After the good rows of a file are stored, keeps the file as a dead letter when some rows were
 * rejected, with the rejected rows' issues as the reason: the clinic gets the report, operators
 * can replay the file after fixing a code map. A resend of a file stored before is not kept again.
 */
public class CsvRejectedRows {

    private static final Logger log = LoggerFactory.getLogger(CsvRejectedRows.class);

    private final DeadLetterKeeper deadLetters;

    public CsvRejectedRows(DeadLetterKeeper deadLetters) {
        this.deadLetters = deadLetters;
    }

    /** The exchange's {@link Stored}, kept as a dead letter when rows were rejected: the next body. */
    public Stored keep(Exchange exchange) {
        Stored stored = InFlight.body(exchange, Stored.class);
        Inbound inbound = stored.inbound();
        Mapped mapped = stored.mapped();
        if (mapped.rows().rejected() == 0 || stored.duplicate()) {
            return stored;
        }
        List<MappingIssue> errors = mapped.issues(MappingIssue.Severity.ERROR);
        String reason = mapped.rows().rejected() + " of " + mapped.rows().read() + " rows rejected: "
                + String.join(
                        "; ",
                        errors.stream()
                                .map(i -> i.location() + ": " + i.reason())
                                .toList());
        Long deadLetterId = deadLetters.keep(inbound, reason);
        log.warn(
                "rows refused route={} source={} facility={} messageId={} rows={} at={} deadLetter={}",
                inbound.route(),
                inbound.source(),
                SafeLog.value(inbound.sender()),
                SafeLog.value(inbound.messageId()),
                mapped.rows().rejected(),
                SafeLog.value(String.join(
                        ",",
                        errors.stream()
                                .map(MappingIssue::location)
                                .distinct()
                                .limit(10)
                                .toList())),
                deadLetterId != null ? deadLetterId : "-");
        return stored.keptAs(deadLetterId);
    }
}
