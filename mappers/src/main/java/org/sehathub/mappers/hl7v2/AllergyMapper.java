package org.sehathub.mappers.hl7v2;

import ca.uhn.hl7v2.model.Type;
import java.util.List;
import java.util.Locale;
import org.hl7.fhir.r4.model.AllergyIntolerance;
import org.hl7.fhir.r4.model.AllergyIntolerance.AllergyIntoleranceCategory;
import org.hl7.fhir.r4.model.AllergyIntolerance.AllergyIntoleranceCriticality;
import org.hl7.fhir.r4.model.AllergyIntolerance.AllergyIntoleranceSeverity;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.DateTimeType;
import org.sehathub.mappers.TransactionBundleBuilder;

/**
 * AL1 to AllergyIntolerance, after the v2-to-FHIR guide's AL1[AllergyIntolerance] map: .2
 * allergen type to category, .3 allergen, .4 severity to criticality and reaction severity, .5
 * reactions to manifestations, .6 identification date to onset. The id is derived from facility,
 * patient and allergen, so the allergy list sent with every ADT does not pile up.
 */
final class AllergyMapper {

    private final Hl7Context ctx;

    AllergyMapper(Hl7Context ctx) {
        this.ctx = ctx;
    }

    void al1(SegmentRef al1, Subject subject) {
        if (!subject.hasPatient()) {
            ctx.warning(al1.label(), "AL1 without a PID; not mapped");
            return;
        }
        CodeableConcept allergen = ctx.types.concept(V2.first(al1.segment(), 3), null);
        if (allergen == null) {
            ctx.missing(al1.at(3), "allergy without an allergen; not mapped");
            return;
        }
        AllergyIntolerance a = new AllergyIntolerance();
        a.setPatient(subject.patient());
        a.setCode(allergen);
        a.setClinicalStatus(new CodeableConcept(
                new Coding("http://terminology.hl7.org/CodeSystem/allergyintolerance-clinical", "active", "Active")));
        String type = upper(al1.field(2));
        if (type != null) {
            switch (type) {
                case "DA", "MC" -> a.addCategory(AllergyIntoleranceCategory.MEDICATION);
                case "FA" -> a.addCategory(AllergyIntoleranceCategory.FOOD);
                case "EA", "AA", "PA", "LA" -> a.addCategory(AllergyIntoleranceCategory.ENVIRONMENT);
                case "MA" -> {}
                default ->
                    ctx.unknownCode(
                            al1.at(2), "allergen type '" + type + "' is not in HL7 table 0127; category left out");
            }
            a.setType(AllergyIntolerance.AllergyIntoleranceType.ALLERGY);
        }
        String severity = upper(al1.field(4));
        AllergyIntoleranceSeverity reactionSeverity = null;
        if (severity != null) {
            switch (severity) {
                case "SV" -> {
                    a.setCriticality(AllergyIntoleranceCriticality.HIGH);
                    reactionSeverity = AllergyIntoleranceSeverity.SEVERE;
                }
                case "MO" -> {
                    a.setCriticality(AllergyIntoleranceCriticality.LOW);
                    reactionSeverity = AllergyIntoleranceSeverity.MODERATE;
                }
                case "MI" -> {
                    a.setCriticality(AllergyIntoleranceCriticality.LOW);
                    reactionSeverity = AllergyIntoleranceSeverity.MILD;
                }
                case "U" -> a.setCriticality(AllergyIntoleranceCriticality.UNABLETOASSESS);
                default -> ctx.unknownCode(al1.at(4), "severity '" + severity + "' is not in HL7 table 0128; left out");
            }
        }
        List<Type> reactions = V2.reps(al1.segment(), 5);
        if (!reactions.isEmpty()) {
            AllergyIntolerance.AllergyIntoleranceReactionComponent reaction = a.addReaction();
            for (Type r : reactions) {
                reaction.addManifestation(new CodeableConcept().setText(V2.text(r)));
            }
            reaction.setSeverity(reactionSeverity);
        }
        DateTimeType identified = ctx.types.dateTime(al1.field(6), al1.at(6));
        if (identified != null) {
            a.setOnset(identified);
        }
        ctx.reportUnmappedFields(al1, List.of(1, 2, 3, 4, 5, 6));
        String key = allergen.hasCoding()
                ? allergen.getCodingFirstRep().getSystem() + "|"
                        + allergen.getCodingFirstRep().getCode()
                : allergen.getText();
        ctx.bundle.update(
                a,
                TransactionBundleBuilder.deterministicId(
                        "AllergyIntolerance", ctx.facility, subject.patientKey(), key));
    }

    private static String upper(String s) {
        return s == null ? null : s.toUpperCase(Locale.ROOT);
    }
}
