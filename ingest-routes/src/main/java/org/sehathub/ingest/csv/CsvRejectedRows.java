package org.sehathub.ingest.csv;

import org.apache.camel.Exchange;
import org.sehathub.ingest.Inbound;
import org.sehathub.ingest.SafeLog;
import org.sehathub.ingest.deadletter.DeadLetterKeeper;
import org.sehathub.mappers.MappingIssue;
import org.sehathub.mappers.csv.CsvMappingResult;
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

    public void keep(Exchange exchange) {
        Inbound inbound = Inbound.of(exchange);
        CsvMappingResult result = exchange.getProperty(ClinicCsvTranslator.RESULT, CsvMappingResult.class);
        if (result.rowsRejected() == 0
                || (inbound.outcome() != null && inbound.outcome().duplicate())) {
            return;
        }
        String reason = result.rowsRejected() + " of " + result.rowsRead() + " rows rejected: "
                + String.join(
                        "; ",
                        ClinicCsvTranslator.errors(result).stream()
                                .map(i -> i.location() + ": " + i.reason())
                                .toList());
        deadLetters.keep(inbound, reason);
        log.warn(
                "rows refused route={} source={} facility={} messageId={} rows={} at={} deadLetter={}",
                inbound.route(),
                inbound.source(),
                SafeLog.value(inbound.sender()),
                SafeLog.value(inbound.messageId()),
                result.rowsRejected(),
                SafeLog.value(String.join(
                        ",",
                        ClinicCsvTranslator.errors(result).stream()
                                .map(MappingIssue::location)
                                .distinct()
                                .limit(10)
                                .toList())),
                inbound.deadLetterId() != null ? inbound.deadLetterId() : "-");
    }
}
