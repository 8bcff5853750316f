package org.sehathub.mappers.csv;

import java.util.Locale;
import java.util.Optional;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.DateTimeType;
import org.hl7.fhir.r4.model.Immunization;
import org.hl7.fhir.r4.model.PositiveIntType;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.StringType;
import org.sehathub.mappers.TransactionBundleBuilder;
import org.sehathub.mappers.normalize.Cnic;
import org.sehathub.mappers.normalize.NameNormalizer;
import org.sehathub.mappers.terminology.TerminologyMaps;

/**
 * A row of the {@code immunizations} layout to an Immunization: the EPI vaccine name to CVX
 * through vaccine-to-cvx, the dose number in protocolApplied, the clinic as administering
 * provider.
 */
final class ImmunizationRowMapper implements CsvRowMapper {

    private static final String PERFORMER_FUNCTION = "http://terminology.hl7.org/CodeSystem/v2-0443";

    /** The schedule the doses count in; protocolApplied.series is free text. */
    static final String EPI_SERIES = "EPI Pakistan routine schedule";

    @Override
    public boolean map(CsvRowReader row, ClinicContext context) {
        String mrn = row.text("mrn");
        Optional<Cnic> cnic = row.cnic("cnic");
        Optional<DateTimeType> dateGiven = row.pastDate("date_given", context.clock);
        Optional<Integer> dose = row.nonNegativeInteger("dose_number");
        if (row.hasErrors()) {
            return false;
        }
        String vaccineCode = row.text("vaccine_code").toUpperCase(Locale.ROOT);
        String immunizationId = TransactionBundleBuilder.deterministicId(
                "Immunization",
                context.facilitySlug(),
                mrn,
                vaccineCode,
                dateGiven.get().getValueAsString());
        Optional<Integer> earlier = context.firstLine("Immunization/" + immunizationId, row.line());
        if (earlier.isPresent()) {
            row.rowError("the same vaccine on the same day is already on line " + earlier.get()
                    + "; only that row is mapped");
            return false;
        }

        Immunization immunization = new Immunization();
        immunization.setStatus(Immunization.ImmunizationStatus.COMPLETED);
        immunization.setVaccineCode(
                LocalCodes.concept(vaccineCode, TerminologyMaps.VACCINE_TO_CVX, context, row, "vaccine_code"));
        immunization.setPatient(new Reference(context.patientReference(mrn, cnic)));
        immunization.setOccurrence(dateGiven.get());
        immunization.setPrimarySource(true);
        row.optionalText("lot_number").ifPresent(immunization::setLotNumber);
        immunization
                .addPerformer()
                .setFunction(new CodeableConcept(new Coding(PERFORMER_FUNCTION, "AP", "Administering Provider")))
                .setActor(new Reference(context.organization()));
        row.optionalText("vaccinator_name")
                .map(NameNormalizer::tidy)
                .ifPresent(name -> immunization
                        .addPerformer()
                        .setFunction(
                                new CodeableConcept(new Coding(PERFORMER_FUNCTION, "AP", "Administering Provider")))
                        .setActor(new Reference().setDisplay(name)));
        // EPI counts birth doses as dose 0 (OPV-0); FHIR's positiveInt cannot hold 0, its string can.
        dose.ifPresent(number -> immunization
                .addProtocolApplied()
                .setSeries(EPI_SERIES)
                .setDoseNumber(number == 0 ? new StringType("0") : new PositiveIntType(number)));
        context.builder.update(immunization, immunizationId);
        return true;
    }
}
