package org.sehathub.ingest.fhir;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.parser.DataFormatException;
import ca.uhn.fhir.parser.IParser;
import ca.uhn.fhir.parser.LenientErrorHandler;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.apache.camel.Exchange;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.Bundle;
import org.sehathub.ingest.Digests;
import org.sehathub.ingest.InFlight;
import org.sehathub.ingest.Inbound;
import org.sehathub.ingest.Mapped;
import org.sehathub.ingest.MessageRejectedException;
import org.sehathub.ingest.sink.MessageReceipt;
import org.sehathub.mappers.MappingException;
import org.sehathub.mappers.MappingIssue;
import org.sehathub.mappers.normalize.ResourceNormalizer;
import org.sehathub.mappers.terminology.TerminologyMaps;

/**
 * Reads a FHIR R4 transaction Bundle (JSON or XML, as its Content-Type says) and normalizes it with
 * the rules every source gets ({@link ResourceNormalizer}: CNIC canonical, also in match URLs;
 * phones; names; provinces; local codes enriched). What is not FHIR, not a Bundle, or not a
 * transaction is refused (400); a value the rules refuse (an impossible CNIC) refuses the Bundle
 * (422); elements R4 does not define are dropped with a warning.
 *
 * <p>The message id is {@code Bundle.identifier} ({@code system|value}) when the sender gives one,
 * else {@code fhir-<SHA-256>} of the content; the receipt's hash is that of the Bundle as parsed and
 * encoded as JSON, so the same Bundle sent again (as JSON or as XML) stores nothing new, and a
 * changed Bundle under a used identifier is a conflict (409).
 */
public class FhirBundleTranslator {

    public static final String CHANNEL = "fhir";
    public static final String JSON = "application/fhir+json";
    public static final String XML = "application/fhir+xml";

    private final FhirContext fhir;
    private final ResourceNormalizer normalizer;

    public FhirBundleTranslator(FhirContext fhir, TerminologyMaps terminology) {
        this.fhir = fhir;
        this.normalizer = new ResourceNormalizer(terminology);
    }

    /** Parses the exchange's {@link Inbound}: the transaction, identified, is the next body. */
    public FhirBundle read(Exchange exchange) {
        Inbound inbound = InFlight.body(exchange, Inbound.class);
        List<MappingIssue> dropped = new ArrayList<>();
        IBaseResource resource = parse(inbound, dropped);
        if (!(resource instanceof Bundle bundle)) {
            throw new MessageRejectedException(
                    "resourceType",
                    "a Bundle of type transaction is expected, not a " + resource.fhirType()
                            + "; single resources go to /fhir",
                    null);
        }
        if (bundle.getType() != Bundle.BundleType.TRANSACTION) {
            throw new MessageRejectedException(
                    "Bundle.type",
                    "Bundle.type must be transaction (stored whole or not at all), not "
                            + (bundle.hasType() ? bundle.getType().toCode() : "empty")
                            + (bundle.getType() == Bundle.BundleType.BATCH
                                    ? "; a batch's entries succeed or fail one by one: post it to /fhir"
                                    : ""),
                    null);
        }
        String hash = Digests.sha256(
                fhir.newJsonParser().encodeResourceToString(bundle).getBytes(StandardCharsets.UTF_8));
        String messageId = messageId(bundle, hash);
        return new FhirBundle(inbound.identified(inbound.sender(), messageId), bundle, hash, dropped);
    }

    /**
     * Normalizes the exchange's {@link FhirBundle} and makes its receipt: the next body. The facility
     * ({@code X-Sehat-Facility}) is required: the stored resources are tagged with it.
     */
    public Mapped map(Exchange exchange) {
        FhirBundle read = InFlight.body(exchange, FhirBundle.class);
        Inbound inbound = read.inbound();
        if (inbound.sender() == null) {
            throw new MessageRejectedException(
                    FhirBundleReceiver.FACILITY_HEADER,
                    "the X-Sehat-Facility header naming the facility whose data this is is required",
                    null);
        }
        List<MappingIssue> issues = new ArrayList<>(read.parseWarnings());
        issues.addAll(normalizer.normalize(read.bundle()));
        List<MappingIssue> errors = issues.stream()
                .filter(i -> i.severity() == MappingIssue.Severity.ERROR)
                .toList();
        if (!errors.isEmpty()) {
            throw new MappingException(errors);
        }
        MessageReceipt receipt = new MessageReceipt(
                CHANNEL, inbound.sender(), inbound.messageId(), read.contentHash(), inbound.sender());
        return new Mapped(inbound, read.bundle(), receipt, issues);
    }

    private IBaseResource parse(Inbound inbound, List<MappingIssue> dropped) {
        boolean xml = isXml(inbound);
        IParser parser =
                (xml ? fhir.newXmlParser() : fhir.newJsonParser()).setParserErrorHandler(new DroppedElements(dropped));
        String text = new String(inbound.payload(), StandardCharsets.UTF_8);
        try {
            // A UTF-8 byte-order mark, as Windows tools write it, is not part of the JSON or XML.
            return parser.parseResource(text.startsWith("\uFEFF") ? text.substring(1) : text);
        } catch (DataFormatException e) {
            throw new MessageRejectedException(
                    "body", "not a FHIR R4 resource in " + (xml ? "XML" : "JSON") + ": " + e.getMessage(), null, e);
        }
    }

    /** XML when the Content-Type says so, or when it names no format and the body starts with '<'. */
    static boolean isXml(Inbound inbound) {
        String type = inbound.contentType() == null ? "" : inbound.contentType().toLowerCase();
        if (type.contains("xml")) {
            return true;
        }
        if (type.contains("json")) {
            return false;
        }
        for (byte b : inbound.payload()) {
            if (!Character.isWhitespace(b) && b != (byte) 0xEF && b != (byte) 0xBB && b != (byte) 0xBF) {
                return b == '<';
            }
        }
        return false;
    }

    private static String messageId(Bundle bundle, String hash) {
        if (bundle.hasIdentifier() && bundle.getIdentifier().hasValue()) {
            String system = bundle.getIdentifier().getSystem();
            return (system != null ? system + "|" : "") + bundle.getIdentifier().getValue();
        }
        return "fhir-" + hash;
    }

    /** Invalid values refuse the Bundle; elements R4 does not define are dropped and reported. */
    private static final class DroppedElements extends LenientErrorHandler {
        private final List<MappingIssue> dropped;

        DroppedElements(List<MappingIssue> dropped) {
            super(false);
            this.dropped = dropped;
        }

        @Override
        public void unknownElement(IParseLocation location, String name) {
            dropped.add(MappingIssue.warning(
                    where(location, name), "element '" + name + "' is not defined in FHIR R4; dropped"));
        }

        @Override
        public void unknownAttribute(IParseLocation location, String name) {
            dropped.add(MappingIssue.warning(
                    where(location, name), "attribute '" + name + "' is not defined in FHIR R4; dropped"));
        }

        private static String where(IParseLocation location, String name) {
            return location != null && location.getParentElementName() != null
                    ? location.getParentElementName() + "." + name
                    : name;
        }
    }
}
