package org.sehathub.mappers.hl7v2;

import java.util.List;
import org.hl7.fhir.r4.model.Annotation;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.DateTimeType;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.Specimen;
import org.sehathub.mappers.TransactionBundleBuilder;

/**
 * SPM to Specimen, after the v2-to-FHIR guide's SPM[Specimen] map: SPM-2 ids (the filler's id,
 * else the placer's, is the match key and the Specimen is replaced), SPM-4 type, SPM-8 source
 * site, SPM-14 description, SPM-17 collection time, SPM-18 received time; the order it belongs
 * to as {@code request}. A specimen without an id gets one derived from the message and a warning.
 */
final class SpecimenMapper {

    private final Hl7Context ctx;

    SpecimenMapper(Hl7Context ctx) {
        this.ctx = ctx;
    }

    /**
     * @param orderRef the entry of the order the specimen was taken for, or null
     * @return the Specimen's entry, or null when there is no patient to file it to
     */
    String spm(SegmentRef spm, Subject subject, String orderRef) {
        if (!subject.hasPatient()) {
            ctx.warning(spm.label(), "SPM without a PID; not mapped");
            return null;
        }
        Specimen specimen = new Specimen();
        String system = Hl7v2Systems.specimen(ctx.facility);
        String placerId = V2.subcomponent(V2.first(spm.segment(), 2), 1, 1);
        String fillerId = V2.subcomponent(V2.first(spm.segment(), 2), 2, 1);
        if (fillerId != null) {
            specimen.addIdentifier(Datatypes.typedIdentifier(system, fillerId, "FILL", "Filler Identifier"));
        }
        if (placerId != null) {
            specimen.addIdentifier(Datatypes.typedIdentifier(system, placerId, "PLAC", "Placer Identifier"));
        }
        CodeableConcept type = ctx.types.concept(V2.first(spm.segment(), 4), null);
        if (type != null) {
            specimen.setType(type);
        } else {
            ctx.missing(spm.at(4), "specimen type is empty");
        }
        specimen.setSubject(subject.patient());
        if (orderRef != null) {
            specimen.addRequest(new Reference(orderRef));
        }
        CodeableConcept site = ctx.types.concept(V2.first(spm.segment(), 8), null);
        if (site != null) {
            specimen.getCollection().setBodySite(site);
        }
        DateTimeType collected = ctx.types.dateTime(V2.component(V2.first(spm.segment(), 17), 1), spm.at(17));
        if (collected != null) {
            specimen.getCollection().setCollected(collected);
        }
        String received = spm.field(18);
        if (received != null) {
            DateTimeType at = ctx.types.dateTime(received, spm.at(18));
            if (at != null) {
                specimen.setReceivedTimeElement(at);
            }
        }
        String description = spm.field(14);
        if (description != null) {
            specimen.addNote(new Annotation().setText(description));
        }
        ctx.reportUnmappedFields(spm, List.of(1, 2, 4, 8, 14, 17, 18));
        String key = fillerId != null ? fillerId : placerId;
        if (key != null) {
            return ctx.bundle.conditionalUpdate(specimen, Hl7Context.identifierQuery(system, key));
        }
        ctx.missing(spm.at(2), "no specimen id; the specimen is keyed on this message");
        return ctx.bundle.update(
                specimen,
                TransactionBundleBuilder.deterministicId(
                        "Specimen",
                        ctx.facility,
                        "message:" + ctx.parsed.controlId(),
                        String.valueOf(spm.occurrence())));
    }
}
