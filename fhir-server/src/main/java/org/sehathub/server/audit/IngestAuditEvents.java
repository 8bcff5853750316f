package org.sehathub.server.audit;

import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import org.apache.camel.Exchange;
import org.hl7.fhir.r4.model.AuditEvent;
import org.hl7.fhir.r4.model.AuditEvent.AuditEventAction;
import org.hl7.fhir.r4.model.AuditEvent.AuditEventOutcome;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.Reference;
import org.sehathub.ingest.Inbound;
import org.sehathub.ingest.IngestAudit;
import org.sehathub.ingest.Outcome;
import org.sehathub.ingest.Refusal;
import org.sehathub.ingest.Refused;
import org.sehathub.ingest.Stored;

/**
 * The ingest's AuditEvents: one per message stored or refused (DICOM "Import", subtype
 * {@code ingest}, or {@code dead-letter-replay} for a replay), naming the sending client, the
 * message (source, sender facility and message id), the patients it wrote and the dead letter it
 * became; and one per use of the dead-letter API. The outcome description of a refusal is its kind
 * and locations ({@code unmappable at PID-7}), never its reasons, which may quote values.
 */
public class IngestAuditEvents implements IngestAudit {

    static final String MESSAGE_SYSTEM = "https://fhir.sehathub.pk/sid/ingest-message";
    static final String DEAD_LETTER_SYSTEM = "https://fhir.sehathub.pk/sid/dead-letter";

    private final AuditTrail trail;
    private final Function<Exchange, Optional<String>> senders;

    /** @param senders the registered client that sent an exchange, when known */
    public IngestAuditEvents(AuditTrail trail, Function<Exchange, Optional<String>> senders) {
        this.trail = trail;
        this.senders = senders;
    }

    @Override
    public void message(Exchange exchange, Outcome result) {
        Inbound inbound = result.inbound();
        Refusal refusal = result instanceof Refused refused ? refused.refusal() : null;
        Stored stored = result instanceof Stored s ? s : null;
        AuditEventOutcome outcome = refusal == null
                ? AuditEventOutcome._0
                : AuditEvents.outcomeOf(refusal.kind().httpStatus());
        String detail = refusal != null
                ? refusal.kind().slug() + " at " + refusal.locations()
                : stored.duplicate() ? "duplicate" : null;
        AuditEvent event = AuditEvents.event(
                new Coding(AuditEvents.DICOM, "110107", "Import"),
                AuditEvents.subtype(inbound.isReplay() ? "dead-letter-replay" : "ingest"),
                AuditEventAction.C,
                outcome,
                detail,
                client(senders.apply(exchange).orElse("unknown")));
        AuditEvents.about(
                event,
                new Reference()
                        .setIdentifier(new Identifier()
                                .setSystem(MESSAGE_SYSTEM)
                                .setValue(inbound.source() + "|" + inbound.sender() + "|" + inbound.messageId()))
                        .setDisplay(inbound.transport()));
        if (inbound.isReplay()) {
            AuditEvents.about(event, deadLetter(inbound.replayOf()));
        } else if (result.deadLetterId() != null) {
            AuditEvents.about(event, deadLetter(result.deadLetterId()));
        }
        (stored != null ? stored.storedIds() : List.<String>of())
                .stream()
                        .filter(id -> id.startsWith("Patient/"))
                        .forEach(id -> AuditEvents.patient(event, new Reference(id)));
        trail.record(event);
    }

    @Override
    public void deadLetter(String action, long id, boolean found) {
        AuditEvent event = AuditEvents.event(
                AuditEvents.restType(),
                AuditEvents.subtype("dead-letter-" + action),
                switch (action) {
                    case "read" -> AuditEventAction.R;
                    case "discard" -> AuditEventAction.D;
                    default -> AuditEventAction.E;
                },
                found ? AuditEventOutcome._0 : AuditEventOutcome._4,
                found ? null : "404 no such dead letter",
                CallerAuditContext.client());
        AuditEvents.about(event, deadLetter(id));
        trail.record(event);
    }

    private static Reference deadLetter(long id) {
        return new Reference()
                .setIdentifier(new Identifier().setSystem(DEAD_LETTER_SYSTEM).setValue(Long.toString(id)));
    }

    private static Reference client(String clientId) {
        return new Reference()
                .setIdentifier(new Identifier()
                        .setSystem(CallerAuditContext.CLIENT_SYSTEM)
                        .setValue(clientId));
    }
}
