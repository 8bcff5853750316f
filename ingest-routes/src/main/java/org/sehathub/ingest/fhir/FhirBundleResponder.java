package org.sehathub.ingest.fhir;

import ca.uhn.fhir.context.FhirContext;
import java.nio.charset.StandardCharsets;
import org.apache.camel.Exchange;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.OperationOutcome;
import org.hl7.fhir.r4.model.OperationOutcome.IssueSeverity;
import org.hl7.fhir.r4.model.OperationOutcome.IssueType;
import org.sehathub.ingest.Inbound;
import org.sehathub.ingest.IngestResponder;
import org.sehathub.ingest.Refusal;
import org.sehathub.ingest.Refused;
import org.sehathub.ingest.Stored;
import org.sehathub.ingest.http.HttpRequests;
import org.sehathub.mappers.MappingIssue;

/**
 * Answers a transaction Bundle with an {@code OperationOutcome}, in the format it came in (JSON or
 * XML): 201 once stored (200 for a resend of what was stored before), with an information issue
 * saying what was stored, one per stored resource (coded {@code stored}, the id in {@code
 * diagnostics}) and a warning per value normalized away or element dropped; otherwise 400, 403, 409,
 * 413, 422, 503 (with {@code Retry-After}) or 500, an error issue per problem with its FHIRPath-like
 * {@code expression}, and the dead letter the Bundle was kept as.
 */
public class FhirBundleResponder implements IngestResponder {

    /** The code system of the information issues that name a stored resource or the dead letter. */
    public static final String OUTCOME_SYSTEM = "https://fhir.sehathub.pk/CodeSystem/ingest-outcome";

    private final FhirContext fhir;

    public FhirBundleResponder(FhirContext fhir) {
        this.fhir = fhir;
    }

    @Override
    public void accepted(Exchange exchange, Stored stored) {
        OperationOutcome outcome = new OperationOutcome();
        outcome.addIssue()
                .setSeverity(IssueSeverity.INFORMATION)
                .setCode(IssueType.INFORMATIONAL)
                .setDiagnostics(
                        stored.duplicate()
                                ? "already stored as message "
                                        + stored.inbound().messageId() + "; nothing new written"
                                : "stored " + stored.storedIds().size() + " resources as message "
                                        + stored.inbound().messageId());
        for (MappingIssue warning : stored.mapped().issues(MappingIssue.Severity.WARNING)) {
            outcome.addIssue()
                    .setSeverity(IssueSeverity.WARNING)
                    .setCode(IssueType.VALUE)
                    .setDiagnostics(warning.reason())
                    .addExpression(warning.location());
        }
        for (String id : stored.storedIds()) {
            outcome.addIssue()
                    .setSeverity(IssueSeverity.INFORMATION)
                    .setCode(IssueType.INFORMATIONAL)
                    .setDiagnostics(id)
                    .getDetails()
                    .addCoding(new Coding(OUTCOME_SYSTEM, "stored", "stored resource"));
        }
        answer(exchange, stored.inbound(), stored.duplicate() ? 200 : 201, outcome);
    }

    @Override
    public void refused(Exchange exchange, Refused refused) {
        Refusal refusal = refused.refusal();
        OperationOutcome outcome = new OperationOutcome();
        for (MappingIssue issue : refusal.issues()) {
            outcome.addIssue()
                    .setSeverity(IssueSeverity.ERROR)
                    .setCode(issueType(refusal.kind()))
                    .setDiagnostics(issue.reason())
                    .addExpression(issue.location());
        }
        if (refused.deadLetterId() != null) {
            outcome.addIssue()
                    .setSeverity(IssueSeverity.INFORMATION)
                    .setCode(IssueType.INFORMATIONAL)
                    .setDiagnostics("kept as dead letter " + refused.deadLetterId())
                    .getDetails()
                    .addCoding(new Coding(OUTCOME_SYSTEM, "dead-letter", "kept as a dead letter"));
        }
        answer(exchange, refused.inbound(), refusal.kind().httpStatus(), outcome);
        if (refusal.kind() == Refusal.Kind.UNAVAILABLE) {
            exchange.getMessage().setHeader("Retry-After", "30");
        }
    }

    static IssueType issueType(Refusal.Kind kind) {
        return switch (kind) {
            case REJECTED -> IssueType.STRUCTURE;
            case NOT_PERMITTED -> IssueType.FORBIDDEN;
            case TOO_LARGE -> IssueType.TOOCOSTLY;
            case UNMAPPABLE -> IssueType.VALUE;
            case BUNDLE_REJECTED -> IssueType.PROCESSING;
            case CONFLICT -> IssueType.CONFLICT;
            case UNAVAILABLE -> IssueType.TRANSIENT;
            case INTERNAL -> IssueType.EXCEPTION;
        };
    }

    private void answer(Exchange exchange, Inbound inbound, int status, OperationOutcome outcome) {
        boolean xml = FhirBundleTranslator.isXml(inbound);
        String body = (xml ? fhir.newXmlParser() : fhir.newJsonParser())
                .setPrettyPrint(true)
                .encodeResourceToString(outcome);
        HttpRequests.response(
                exchange,
                status,
                (xml ? FhirBundleTranslator.XML : FhirBundleTranslator.JSON) + "; charset=UTF-8",
                body.getBytes(StandardCharsets.UTF_8));
    }
}
