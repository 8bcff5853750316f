package org.sehathub.mappers.hl7v2;

import ca.uhn.hl7v2.model.Type;
import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.hl7.fhir.r4.model.Attachment;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.DateTimeType;
import org.hl7.fhir.r4.model.DocumentReference;
import org.hl7.fhir.r4.model.DocumentReference.DocumentRelationshipType;
import org.hl7.fhir.r4.model.Enumerations.DocumentReferenceStatus;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.Period;
import org.hl7.fhir.r4.model.Reference;
import org.sehathub.mappers.MappingException;
import org.sehathub.mappers.MappingIssue;
import org.sehathub.mappers.TransactionBundleBuilder;
import org.sehathub.mappers.normalize.DateNormalizer;
import org.sehathub.mappers.normalize.NormalizationException;

/**
 * TXA and the OBX that carry the document's content (MDM^T02 and the events of its structure,
 * T04, T06, T08, T10) to DocumentReference, after the v2-to-FHIR guide's TXA[DocumentReference]
 * map.
 *
 * <p>The document is matched on its unique document number (TXA-12, as {@code masterIdentifier})
 * and replaced, so a status change (T04) or an edit (T08) of a document overwrites it. Text
 * content (OBX-2 TX, ST, FT) becomes one {@code text/plain} attachment, its lines joined; each
 * encapsulated value (ED: a PDF, an image, base64 or hex) its own attachment with the type its
 * subtype names; a reference pointer (RP) an attachment URL. A document without content is
 * refused: FHIR requires at least one.
 */
final class DocumentMapper {

    private final Hl7Context ctx;
    private SegmentRef txa;
    private DocumentReference document;
    private final List<String> lines = new ArrayList<>();
    private final List<Attachment> attachments = new ArrayList<>();

    DocumentMapper(Hl7Context ctx) {
        this.ctx = ctx;
    }

    void txa(SegmentRef txa, Subject subject) {
        if (!subject.hasPatient()) {
            ctx.warning(txa.label(), "TXA without a PID; not mapped");
            return;
        }
        if (document != null) {
            ctx.warning(txa.label(), "a second TXA in one message; not mapped");
            return;
        }
        this.txa = txa;
        DocumentReference d = new DocumentReference();
        String number = V2.component(V2.first(txa.segment(), 12), 1);
        if (number != null) {
            d.setMasterIdentifier(new Identifier()
                    .setSystem(documentSystem(V2.first(txa.segment(), 12)))
                    .setValue(number));
        }
        d.setStatus(status(txa));
        String completion = upper(txa.field(17));
        if (completion != null) {
            switch (completion) {
                case "AU", "LA" -> d.setDocStatus(DocumentReference.ReferredDocumentStatus.FINAL);
                case "DI", "DO", "IN", "IP", "PA" ->
                    d.setDocStatus(DocumentReference.ReferredDocumentStatus.PRELIMINARY);
                default ->
                    ctx.unknownCode(
                            txa.at(17), "completion status '" + completion + "' is not in HL7 table 0271; left out");
            }
        }
        d.setType(type(txa));
        d.setSubject(subject.patient());
        for (Type originator : V2.reps(txa.segment(), 9)) {
            Reference author = ctx.practitioners.reference(originator, txa.at(9));
            if (author != null) {
                d.addAuthor(author);
            }
        }
        Reference authenticator = ctx.practitioners.reference(V2.first(txa.segment(), 22), txa.at(22));
        if (authenticator != null) {
            d.setAuthenticator(authenticator);
        }
        d.setCustodian(new Reference(ctx.organizationRef));
        String origination = txa.field(6) != null ? txa.field(6) : txa.field(4);
        if (origination != null) {
            try {
                OffsetDateTime at = DateNormalizer.parseDateTime(origination);
                d.setDateElement(AppointmentMapper.instantType(at));
            } catch (NormalizationException e) {
                ctx.warning(
                        txa.at(txa.field(6) != null ? 6 : 4),
                        "date/time '" + origination + "' left out: " + e.getReason());
            }
        }
        if (subject.hasVisit()) {
            d.getContext().addEncounter(subject.visit());
        }
        DateTimeType activity = ctx.types.dateTime(txa.field(4), txa.at(4));
        if (activity != null) {
            d.getContext().setPeriod(new Period().setStartElement(activity));
        }
        String placer = V2.component(V2.first(txa.segment(), 14), 1);
        if (placer != null) {
            d.getContext()
                    .addRelated(new Reference()
                            .setIdentifier(Datatypes.typedIdentifier(
                                    Hl7v2Systems.placerOrder(ctx.facility), placer, "PLAC", "Placer Identifier")));
        }
        String parent = V2.component(V2.first(txa.segment(), 13), 1);
        String event = ctx.parsed.triggerEvent();
        if (parent != null && (event.equals("T06") || event.equals("T10"))) {
            d.addRelatesTo()
                    .setCode(event.equals("T06") ? DocumentRelationshipType.APPENDS : DocumentRelationshipType.REPLACES)
                    .setTarget(new Reference()
                            .setIdentifier(new Identifier()
                                    .setSystem(documentSystem(V2.first(txa.segment(), 13)))
                                    .setValue(parent)));
        } else if (parent != null) {
            ctx.information(txa.at(13), "parent document number is only mapped for T06 (appends) and T10 (replaces)");
        }
        ctx.reportUnmappedFields(txa, List.of(1, 2, 3, 4, 6, 9, 12, 13, 14, 16, 17, 19, 22));
        document = d;
    }

    /** One OBX of the document's content. */
    void obx(SegmentRef obx) {
        if (document == null) {
            ctx.warning(obx.label(), "OBX before the TXA it belongs to; not mapped");
            return;
        }
        String valueType = upper(obx.field(2));
        List<Type> values = V2.reps(obx.segment(), 5);
        if (valueType == null) {
            valueType = "TX";
        }
        switch (valueType) {
            case "TX", "ST", "FT", "CF", "TEXT" -> {
                if (values.isEmpty()) {
                    lines.add("");
                }
                values.forEach(v -> lines.add(V2.text(v) == null ? "" : V2.text(v)));
            }
            case "ED" -> values.forEach(v -> add(Attachments.encapsulated(ctx, v, obx.at(5))));
            case "RP" -> values.forEach(v -> add(Attachments.pointer(ctx, v, obx.at(5))));
            default -> ctx.warning(obx.at(2), "value type " + valueType + " is not document content; not mapped");
        }
        ctx.reportUnmappedFields(obx, List.of(1, 2, 3, 4, 5, 11));
    }

    private void add(Attachment attachment) {
        if (attachment != null) {
            attachments.add(attachment);
        }
    }

    /** Files the document; refuses a TXA without content. */
    void finish() {
        if (document == null) {
            return;
        }
        if (!lines.isEmpty()) {
            Attachment text = new Attachment()
                    .setContentType("text/plain")
                    .setData(String.join("\n", lines).getBytes(StandardCharsets.UTF_8));
            attachments.add(0, text);
        }
        if (attachments.isEmpty()) {
            throw new MappingException(
                    MappingIssue.Kind.MISSING,
                    "OBX",
                    ctx.parsed.messageType() + " carries no document content (no OBX with a TX, FT, ED or RP value)");
        }
        String title = txa.field(16);
        for (Attachment a : attachments) {
            if (title != null) {
                a.setTitle(title);
            }
            if (document.hasDate()) {
                a.setCreation(document.getDate());
            }
            document.addContent().setAttachment(a);
        }
        if (document.hasMasterIdentifier()) {
            Identifier id = document.getMasterIdentifier();
            ctx.bundle.conditionalUpdate(document, Hl7Context.identifierQuery(id.getSystem(), id.getValue()));
        } else {
            ctx.missing(
                    txa.at(12),
                    "no unique document number; the document is keyed on this message and later "
                            + "changes to it cannot find it");
            ctx.bundle.update(
                    document,
                    TransactionBundleBuilder.deterministicId(
                            "DocumentReference", ctx.facility, "message:" + ctx.parsed.controlId()));
        }
    }

    /** TXA-19 availability (table 0273): canceled is entered-in-error, obsolete superseded. */
    private DocumentReferenceStatus status(SegmentRef txa) {
        String availability = upper(txa.field(19));
        if (availability == null) {
            return DocumentReferenceStatus.CURRENT;
        }
        return switch (availability) {
            case "AV", "UN" -> DocumentReferenceStatus.CURRENT;
            case "OB" -> DocumentReferenceStatus.SUPERSEDED;
            case "CA" -> DocumentReferenceStatus.ENTEREDINERROR;
            default -> {
                ctx.unknownCode(
                        txa.at(19),
                        "availability status '" + availability + "' is not in HL7 table 0273; status set to current");
                yield DocumentReferenceStatus.CURRENT;
            }
        };
    }

    /** TXA-2 document type: a bare table 0270 code in that table, anything else as the CWE says. */
    private CodeableConcept type(SegmentRef txa) {
        Type cwe = V2.first(txa.segment(), 2);
        String code = V2.component(cwe, 1);
        if (code != null
                && V2.component(cwe, 3) == null
                && V2Tables.defines(V2Tables.DOCUMENT_TYPE, V2Tables.canonical(code))) {
            return new CodeableConcept(
                    new Coding(V2Tables.DOCUMENT_TYPE, V2Tables.canonical(code), V2.component(cwe, 2)));
        }
        CodeableConcept cc = ctx.types.concept(cwe, null);
        if (cc == null) {
            ctx.missing(txa.at(2), "document type is empty");
        }
        return cc;
    }

    private String documentSystem(Type ei) {
        String namespace = V2.component(ei, 2);
        return Hl7v2Systems.document(namespace != null ? namespace : ctx.facility);
    }

    private static String upper(String s) {
        return s == null ? null : s.strip().toUpperCase(Locale.ROOT);
    }
}
