package org.sehathub.mappers.hl7v2;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.DateTimeType;
import org.hl7.fhir.r4.model.MessageHeader;
import org.hl7.fhir.r4.model.Organization;
import org.hl7.fhir.r4.model.Provenance;
import org.hl7.fhir.r4.model.Reference;
import org.sehathub.mappers.MappingException;
import org.sehathub.mappers.MappingIssue;
import org.sehathub.mappers.MappingResult;
import org.sehathub.mappers.NamingSystems;
import org.sehathub.mappers.SourceInfo;
import org.sehathub.mappers.TransactionBundleBuilder;
import org.sehathub.mappers.terminology.TerminologyMaps;

/**
 * Maps one HL7 v2 message (v2.3 to v2.8) to a FHIR R4 transaction Bundle whose writes are
 * idempotent, following the HL7 v2-to-FHIR implementation guide (differences in
 * docs/ingest/hl7v2.md).
 *
 * <p>Supported: ADT A01 to A11, A13, A17, A24, A28, A31, A34, A37, A39, A40; ORU^R01 and OUL^R22; ORM^O01
 * and OML^O21; MDM^T02 (and T04, T06, T08, T10); VXU^V04; SIU^S12 ({@link #SUPPORTED}). Segments are mapped in message order by small segment mappers; segments and fields we
 * do not map are returned as {@link org.sehathub.mappers.MappingIssue}s located like {@code
 * ZPK[1]} or {@code PID-12}. A message that cannot be mapped at all (unparseable, unsupported
 * type, no patient, an impossible birth date...) raises a {@link MappingException} naming the
 * segment and field, for the transport's negative acknowledgement.
 *
 * <p>Thread-safe: one instance serves every message.
 */
public final class Hl7v2Mapper {

    /** Trigger events per message code that this mapper maps. */
    public static final Map<String, Set<String>> SUPPORTED = Map.of(
            "ADT",
                    Set.of(
                            "A01", "A02", "A03", "A04", "A05", "A06", "A07", "A08", "A09", "A10", "A11", "A13", "A17",
                            "A24", "A28", "A31", "A34", "A37", "A39", "A40"),
            "ORU", Set.of("R01"),
            "OUL", Set.of("R22"),
            "ORM", Set.of("O01"),
            "OML", Set.of("O21"),
            "MDM", Set.of("T02", "T04", "T06", "T08", "T10"),
            "VXU", Set.of("V04"),
            "SIU", Set.of("S12"));

    /** Merges of patient records (MRG names the record merged into the one in PID). */
    private static final Set<String> MERGE_EVENTS = Set.of("A34", "A39", "A40");

    /** Links and unlinks of two patient records (two PIDs). */
    private static final Set<String> LINK_EVENTS = Set.of("A24", "A37");

    /** Person-level ADT events: a PV1 there usually describes no visit. */
    private static final Set<String> PERSON_EVENTS = Set.of("A24", "A28", "A31", "A34", "A37", "A39", "A40");

    /** ADT events that carry the full registration and so replace the Patient. */
    private static final Set<String> REGISTRATION_EVENTS =
            Set.of("A01", "A04", "A05", "A08", "A28", "A31", "A34", "A39", "A40");

    private static final Set<String> IGNORED_QUIETLY = Set.of("RGS");

    private final TerminologyMaps terminology;
    private final Clock clock;
    private final Hl7v2Parser parser = new Hl7v2Parser();
    private final Hl7v2MessageReader reader = new Hl7v2MessageReader();

    /**
     * @param terminology the code maps for local lab, diagnosis and vaccine codes
     * @param clock "now" for birth-date checks and for when the hub received a message
     */
    public Hl7v2Mapper(TerminologyMaps terminology, Clock clock) {
        this.terminology = Objects.requireNonNull(terminology, "terminology");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** Decodes the raw bytes with their MSH-18 charset, parses and maps; received now. */
    public MappingResult map(byte[] message) {
        return map(reader.read(message));
    }

    /** Parses and maps a message; received now, source taken from MSH. */
    public MappingResult map(String message) {
        return map(parser.parse(message), null);
    }

    /**
     * Maps a parsed message.
     *
     * @param source who sent it; null derives it from MSH-3 (system), MSH-4 (facility) and MSH-10
     *     (message id), received at this mapper's clock's now. A transport that knows better (for
     *     example the facility bound to an MLLP port) passes its own.
     */
    public MappingResult map(ParsedHl7 parsed, SourceInfo source) {
        if (!SUPPORTED.getOrDefault(parsed.messageCode(), Set.of()).contains(parsed.triggerEvent())) {
            throw new MappingException(
                    "MSH-9",
                    "message type " + parsed.messageType() + " is not supported; supported: "
                            + SUPPORTED.entrySet().stream()
                                    .sorted(Map.Entry.comparingByKey())
                                    .map(e -> e.getKey() + "^"
                                            + e.getValue().stream().sorted().collect(Collectors.joining("/")))
                                    .collect(Collectors.joining(", ")));
        }
        SourceInfo effective = source != null ? source : parsed.sourceInfo(Instant.now(clock));
        if (effective.facility() == null || effective.facility().isBlank()) {
            throw new MappingException(
                    MappingIssue.Kind.MISSING,
                    "MSH-4",
                    "sending facility is empty; MRNs and visit numbers cannot be scoped to a facility");
        }
        if (effective.sourceSystem() == null || effective.sourceSystem().isBlank()) {
            effective = new SourceInfo(
                    effective.facility(), effective.facility(), effective.messageId(), effective.receivedAt());
        }
        boolean adt = parsed.messageCode().equals("ADT");
        boolean registration = adt && REGISTRATION_EVENTS.contains(parsed.triggerEvent());
        Hl7Context ctx = new Hl7Context(parsed, effective, terminology, clock, registration, adt);
        return new MessageRun(ctx).run();
    }

    /** The mapping of one message: the segment mappers and the walk over the segments. */
    private static final class MessageRun {

        private final Hl7Context ctx;
        private final PatientMapper patients;
        private final EncounterMapper encounters;
        private final ConditionMapper conditions;
        private final AllergyMapper allergies;
        private final ResultMapper results;
        private final ImmunizationMapper immunizations;
        private final AppointmentMapper appointments;
        private final MergeMapper merges;
        private final PatientLinkMapper links = new PatientLinkMapper();
        private final OrderMapper orders;
        private final SpecimenMapper specimens;
        private final DocumentMapper documents;
        private final MedicationOrderMapper medications;

        MessageRun(Hl7Context ctx) {
            this.ctx = ctx;
            this.patients = new PatientMapper(ctx);
            this.encounters = new EncounterMapper(ctx);
            this.conditions = new ConditionMapper(ctx);
            this.allergies = new AllergyMapper(ctx);
            String code = ctx.parsed.messageCode();
            boolean lab = code.equals("ORU") || code.equals("OUL");
            this.results = new ResultMapper(ctx, lab ? "laboratory" : "exam", code.equals("OUL"));
            this.immunizations = new ImmunizationMapper(ctx);
            this.appointments = new AppointmentMapper(ctx);
            this.merges = new MergeMapper(ctx);
            this.orders = new OrderMapper(ctx);
            this.specimens = new SpecimenMapper(ctx);
            this.documents = new DocumentMapper(ctx);
            this.medications = new MedicationOrderMapper(ctx);
        }

        MappingResult run() {
            ParsedHl7 parsed = ctx.parsed;
            ctx.organizationRef = organization();
            String code = parsed.messageCode();
            String event = parsed.triggerEvent();
            boolean resultMessage = code.equals("ORU") || code.equals("OUL");
            boolean orderMessage = code.equals("ORM") || code.equals("OML");
            List<SegmentRef> segments = SegmentRef.flatten(parsed.message());
            String occurred = null;
            boolean sawPid = false;
            boolean sawMrg = false;
            boolean afterRxa = false;
            boolean sawTxa = false;
            Subject subject = Subject.NONE;
            for (SegmentRef s : segments) {
                switch (s.name()) {
                    // MSH-15/16 (acknowledgment types) are for the transport building the ACK.
                    case "MSH" -> ctx.reportUnmappedFields(s, List.of(1, 2, 3, 4, 5, 6, 7, 9, 10, 11, 12, 15, 16, 18));
                    case "EVN" -> {
                        occurred = s.field(6) != null ? s.field(6) : s.field(2);
                        ctx.reportUnmappedFields(s, List.of(1, 2, 6));
                    }
                    case "PID" -> {
                        subject = patients.pid(s);
                        sawPid = true;
                        if (LINK_EVENTS.contains(event)) {
                            links.pid(subject, patients.key(), s);
                        }
                    }
                    case "PD1" -> patients.pd1(s);
                    case "NK1" -> patients.nk1(s);
                    case "PV1" ->
                        subject =
                                encounters.pv1(s, subject, event, PERSON_EVENTS.contains(event) || !code.equals("ADT"));
                    case "PV2" -> encounters.pv2(s);
                    case "DG1" -> conditions.dg1(s, subject, code.equals("ADT") ? encounters.encounter() : null);
                    case "AL1" -> allergies.al1(s, subject);
                    case "ORC" -> {
                        if (code.equals("VXU")) {
                            immunizations.orc(s);
                        } else if (resultMessage) {
                            results.orc(s);
                        } else if (orderMessage) {
                            orders.orc(s);
                        } else {
                            notMapped(s);
                        }
                    }
                    case "OBR" -> {
                        if (resultMessage) {
                            results.obr(s, subject);
                        } else if (orderMessage) {
                            orders.obr(s, subject);
                        } else {
                            notMapped(s);
                        }
                    }
                    case "OBX" -> {
                        if (code.equals("VXU") && afterRxa) {
                            immunizations.obx(s);
                        } else if (resultMessage || code.equals("ADT")) {
                            results.obx(s, subject);
                        } else if (code.equals("MDM")) {
                            documents.obx(s);
                        } else if (!(orderMessage && orders.obx(s, subject))) {
                            notMapped(s);
                        }
                    }
                    case "NTE" -> {
                        if (!results.nte(s) && !orders.nte(s)) {
                            notMapped(s);
                        }
                    }
                    case "SPM" -> {
                        if (resultMessage) {
                            String ref = specimens.spm(s, subject, results.orderRef());
                            if (ref != null) {
                                results.specimen(ref);
                            }
                        } else if (orderMessage) {
                            specimens.spm(s, subject, orders.orderRef());
                        } else {
                            notMapped(s);
                        }
                    }
                    case "TXA" -> {
                        if (code.equals("MDM")) {
                            documents.txa(s, subject);
                            sawTxa = true;
                        } else {
                            notMapped(s);
                        }
                    }
                    case "RXA" -> {
                        if (code.equals("VXU")) {
                            immunizations.rxa(s, subject);
                            afterRxa = true;
                        } else {
                            notMapped(s);
                        }
                    }
                    case "RXR" -> {
                        if (code.equals("VXU")) {
                            immunizations.rxr(s);
                        } else if (!(orderMessage && medications.rxr(s))) {
                            notMapped(s);
                        }
                    }
                    case "RXO" -> {
                        if (orderMessage) {
                            medications.rxo(s, subject, orders.takePendingOrc());
                        } else {
                            notMapped(s);
                        }
                    }
                    case "SCH" -> appointments.sch(s);
                    case "TQ1" -> {
                        if (code.equals("SIU")) {
                            appointments.tq1(s);
                        } else if (!(orderMessage && orders.tq1(s))) {
                            notMapped(s);
                        }
                    }
                    case "AIS" -> appointments.ais(s);
                    case "AIG" -> appointments.aig(s);
                    case "AIL" -> appointments.ail(s);
                    case "AIP" -> appointments.aip(s);
                    case "MRG" -> {
                        if (MERGE_EVENTS.contains(event)) {
                            merges.mrg(s, patients.patient(), subject);
                            sawMrg = true;
                        } else {
                            // A06/A07 name the prior visit here; the visit in PV1 is the one kept.
                            ctx.information(s.label(), "MRG is only mapped for merges (A34, A39, A40)");
                        }
                    }
                    default -> {
                        if (!IGNORED_QUIETLY.contains(s.name())) {
                            notMapped(s);
                        }
                    }
                }
            }
            results.finish();
            orders.finish();
            documents.finish();
            immunizations.finish();
            appointments.finish(subject);
            if (!sawPid) {
                throw new MappingException(
                        MappingIssue.Kind.MISSING,
                        "PID",
                        parsed.messageType() + " has no PID segment; there is no patient to file it to");
            }
            if (MERGE_EVENTS.contains(event) && !sawMrg) {
                throw new MappingException(
                        MappingIssue.Kind.MISSING,
                        "MRG",
                        "ADT^" + event + " has no MRG segment naming the record to merge");
            }
            if (code.equals("MDM") && !sawTxa) {
                throw new MappingException(
                        MappingIssue.Kind.MISSING,
                        "TXA",
                        parsed.messageType() + " has no TXA segment describing the document");
            }
            if (code.equals("SIU")
                    && ctx.bundle.fullUrls().stream()
                            .noneMatch(u -> ctx.bundle
                                    .find(u)
                                    .map(r -> r.fhirType().equals("Appointment"))
                                    .orElse(false))) {
                throw new MappingException(MappingIssue.Kind.MISSING, "SCH", "SIU^S12 has no SCH segment");
            }
            if (code.equals("VXU")
                    && ctx.bundle.fullUrls().stream()
                            .noneMatch(u -> ctx.bundle
                                    .find(u)
                                    .map(r -> r.fhirType().equals("Immunization"))
                                    .orElse(false))) {
                throw new MappingException(MappingIssue.Kind.MISSING, "RXA", "VXU^V04 has no RXA segment");
            }

            List<String> targets = new ArrayList<>(ctx.bundle.fullUrls());
            messageHeader(targets);
            String provenanceUrl = ctx.bundle.provenance(ctx.source, targets);
            DateTimeType when = occurred != null
                    ? ctx.types.dateTime(occurred, "EVN-6")
                    : ctx.types.dateTime(parsed.messageDateTime(), "MSH-7");
            if (when != null) {
                ctx.bundle.find(provenanceUrl).ifPresent(p -> ((Provenance) p).setOccurred(when));
            }
            Bundle bundle = ctx.bundle.build();
            merges.patches().forEach(bundle::addEntry);
            if (LINK_EVENTS.contains(event)) {
                links.patches(event).forEach(bundle::addEntry);
            }
            orders.patches().forEach(bundle::addEntry);
            return new MappingResult(bundle, ctx.issues());
        }

        private void notMapped(SegmentRef s) {
            if (s.name().startsWith("Z")) {
                ctx.warning(s.label(), "unknown Z-segment " + s.name() + "; not mapped");
            } else {
                ctx.information(s.label(), "segment " + s.name() + " is not mapped for " + ctx.parsed.messageType());
            }
        }

        /** The sending facility (MSH-4) as an Organization, created when the hub does not know it. */
        private String organization() {
            Organization org = new Organization();
            String slug = NamingSystems.slug(ctx.facility);
            org.addIdentifier().setSystem(NamingSystems.facility()).setValue(slug);
            org.setName(ctx.facility);
            org.setActive(true);
            return ctx.bundle.conditionalCreate(org, Hl7Context.identifierQuery(NamingSystems.facility(), slug));
        }

        /**
         * MSH to MessageHeader (guide's MSH[MessageHeader]): event MSH-9.2 (table 0003), source
         * MSH-3/MSH-4, destination MSH-5/MSH-6, sender the facility, focus every mapped resource. Its
         * id is derived from the message id, so a resend rewrites it.
         */
        private void messageHeader(List<String> focus) {
            ParsedHl7 p = ctx.parsed;
            MessageHeader mh = new MessageHeader();
            mh.setEvent(new Coding("http://terminology.hl7.org/CodeSystem/v2-0003", p.triggerEvent(), null));
            mh.getSource()
                    .setName(ctx.source.sourceSystem())
                    .setSoftware(ctx.source.sourceSystem())
                    .setEndpoint(endpoint(ctx.source.sourceSystem(), ctx.facility));
            if (p.receivingApplication() != null || p.receivingFacility() != null) {
                String app = p.receivingApplication() != null ? p.receivingApplication() : p.receivingFacility();
                String facility = p.receivingFacility() != null ? p.receivingFacility() : p.receivingApplication();
                mh.addDestination().setName(app).setEndpoint(endpoint(app, facility));
            }
            mh.setSender(new Reference(ctx.organizationRef));
            focus.forEach(url -> mh.addFocus(new Reference(url)));
            ctx.bundle.update(
                    mh,
                    TransactionBundleBuilder.deterministicId(
                            "MessageHeader", ctx.source.sourceSystem(), ctx.facility, p.controlId()));
        }

        private static String endpoint(String application, String facility) {
            return "urn:sehathub:hl7v2:" + NamingSystems.slug(facility) + ":" + NamingSystems.slug(application);
        }
    }
}
