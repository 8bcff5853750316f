package org.sehathub.mappers.csv;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Encounter;
import org.hl7.fhir.r4.model.Immunization;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Provenance;
import org.hl7.fhir.r4.model.Quantity;
import org.hl7.fhir.r4.model.Resource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.sehathub.mappers.MappingException;
import org.sehathub.mappers.MappingIssue;
import org.sehathub.mappers.SourceInfo;
import org.sehathub.mappers.terminology.TerminologyMaps;

class ClinicCsvMapperTest {

    private static final Clock CLOCK = Clock.fixed(Instant.parse("2024-03-20T07:00:00Z"), ZoneOffset.UTC);
    private static final SourceInfo SOURCE = new SourceInfo(
            "clinic-csv-upload", "Civil Hospital Quetta", "upload-42", Instant.parse("2024-03-20T07:00:00Z"));
    private static final String PATIENTS_HEADER = "mrn,cnic,given_name,family_name,sex,date_of_birth,phone";

    private final ClinicCsvMapper mapper = new ClinicCsvMapper(TerminologyMaps.loadDefault(), CLOCK);

    private CsvMappingResult map(CsvLayout layout, String csv) {
        return mapper.map(layout, new StringReader(csv), SOURCE);
    }

    private static <T extends Resource> List<T> resources(Bundle bundle, Class<T> type) {
        return bundle.getEntry().stream()
                .map(Bundle.BundleEntryComponent::getResource)
                .filter(type::isInstance)
                .map(type::cast)
                .toList();
    }

    @Test
    void fromNameKnowsTheUrlNamesOnly() {
        assertThat(CsvLayout.fromName("lab-results")).contains(CsvLayout.LAB_RESULTS);
        assertThat(CsvLayout.fromName("Patients")).contains(CsvLayout.PATIENTS);
        assertThat(CsvLayout.fromName("lab_results")).isEmpty();
        assertThat(CsvLayout.fromName(null)).isEmpty();
    }

    @ParameterizedTest
    @EnumSource(CsvLayout.class)
    void theDownloadableTemplateIsTheLayoutHeader(CsvLayout layout) throws Exception {
        Path template = Path.of("../docs/ingest/csv/templates/" + layout.urlName() + ".csv");
        assertThat(Files.readString(template).strip()).isEqualTo(layout.templateHeader());
    }

    @ParameterizedTest
    @EnumSource(CsvLayout.class)
    void theDocsListEveryColumnOfEveryLayout(CsvLayout layout) throws Exception {
        String docs = Files.readString(Path.of("../docs/ingest/csv.md"));
        for (CsvColumn column : layout.columns()) {
            assertThat(docs).contains("| `" + column.name() + "` |");
        }
    }

    @Test
    void countsReadMappedAndRejectedRows() {
        CsvMappingResult result = map(
                CsvLayout.PATIENTS,
                PATIENTS_HEADER + "\nCHQ-1,,Gul,Khan,M,,\nCHQ-2,,Noor,Bibi,,,\nCHQ-3,,Rahim,Dad,M,,\n");
        assertThat(result.rowsRead()).isEqualTo(3);
        assertThat(result.rowsMapped()).isEqualTo(2);
        assertThat(result.rowsRejected()).isEqualTo(1);
        assertThat(result.hasErrors()).isTrue();
        assertThat(resources(result.bundle(), Patient.class)).hasSize(2);
    }

    @Test
    void aByteOrderMarkAndCrlfLineEndingsAreTolerated() {
        byte[] bytes = ("\uFEFF" + PATIENTS_HEADER + "\r\nCHQ-1,,Gul,Khan,M,,\r\n").getBytes(StandardCharsets.UTF_8);
        CsvMappingResult result = mapper.map(CsvLayout.PATIENTS, new ByteArrayInputStream(bytes), SOURCE);
        assertThat(result.issues()).isEmpty();
        assertThat(result.rowsMapped()).isEqualTo(1);
    }

    @Test
    void trailingBlankLinesAndEmptyRowsAreNotRows() {
        CsvMappingResult result = map(CsvLayout.PATIENTS, PATIENTS_HEADER + "\nCHQ-1,,Gul,Khan,M,,\n,,,,,,\n\n\n");
        assertThat(result.rowsRead()).isEqualTo(1);
        assertThat(result.issues()).isEmpty();
    }

    @Test
    void aQuotedLineBreakKeepsLineNumbersOfLaterRowsRight() {
        CsvMappingResult result = map(
                CsvLayout.PATIENTS,
                "mrn,given_name,sex,address\nCHQ-1,Gul,M,\"Jinnah Road\nQuetta Cantt\"\nCHQ-2,Noor,Q,\n");
        assertThat(result.issues()).extracting(MappingIssue::location).containsExactly("line 4, column sex");
        Patient patient = resources(result.bundle(), Patient.class).get(0);
        assertThat(patient.getAddressFirstRep().getLine())
                .extracting(Object::toString)
                .containsExactly("Jinnah Road", "Quetta Cantt");
    }

    @Test
    void headersAreBoundByNameInAnyOrderIgnoringCaseAndSpaces() {
        CsvMappingResult result =
                map(CsvLayout.PATIENTS, " Sex ,Date of Birth,Given-Name,MRN\nF,23/09/1985,Naseem,CHQ-7\n");
        assertThat(result.issues()).isEmpty();
        Patient patient = resources(result.bundle(), Patient.class).get(0);
        assertThat(patient.getBirthDateElement().getValueAsString()).isEqualTo("1985-09-23");
        assertThat(patient.getNameFirstRep().getGivenAsSingleString()).isEqualTo("Naseem");
    }

    @Test
    void aRegisterWithOneNameColumnAndTheFatherOrHusbandIsMappedByItsUsualHeaders() {
        // The shape most clinic registers have: MR #, Patient Name, S/O or W/O, Gender, DOB, Mobile No.
        CsvMappingResult result = map(
                CsvLayout.PATIENTS,
                "MR #,Patient Name,S/O,W/O,Father/Husband Name,Gender,DOB,Mobile No\n"
                        + "CHQ-8,  Muhammad   Ali Khan ,Muhammad Akram,,,M,01/02/1990,0300-1234567\n"
                        + "CHQ-9,Ayesha Bibi,,Imran Khan,,F,,\n"
                        + "CHQ-10,Noor Jahan,,,Abdul Ghani,F,,\n");
        assertThat(result.issues()).isEmpty();
        assertThat(result.rowsMapped()).isEqualTo(3);
        List<Patient> patients = resources(result.bundle(), Patient.class);
        Patient ali = patients.get(0);
        assertThat(ali.getNameFirstRep().getText()).isEqualTo("Muhammad Ali Khan");
        assertThat(ali.getNameFirstRep().hasFamily())
                .as("not guessed from a full name")
                .isFalse();
        assertThat(ali.getContactFirstRep().getName().getText()).isEqualTo("Muhammad Akram");
        assertThat(ali.getContactFirstRep()
                        .getRelationshipFirstRep()
                        .getCodingFirstRep()
                        .getCode())
                .isEqualTo("FTH");
        assertThat(ali.getTelecomFirstRep().getValue()).isEqualTo("+923001234567");
        assertThat(patients.get(1)
                        .getContactFirstRep()
                        .getRelationshipFirstRep()
                        .getCodingFirstRep()
                        .getCode())
                .isEqualTo("HUSB");
        assertThat(patients.get(2).getContactFirstRep().getRelationshipFirstRep())
                .satisfies(r -> {
                    assertThat(r.hasCoding())
                            .as("the column does not say which")
                            .isFalse();
                    assertThat(r.getText()).isEqualTo("father or husband");
                });
    }

    @Test
    void aRowWithNoNameAtAllIsStillRefused() {
        CsvMappingResult result = map(CsvLayout.PATIENTS, "mrn,name,sex\nCHQ-11,,M\n");
        assertThat(result.rowsRejected()).isEqualTo(1);
        assertThat(result.issues())
                .singleElement()
                .satisfies(i -> assertThat(i.reason()).contains("needs name"));
    }

    @Test
    void ddMmYyyyAndIsoDatesAreBothAccepted() {
        CsvMappingResult result =
                map(CsvLayout.PATIENTS, "mrn,given_name,sex,date_of_birth\nA,Gul,M,05/03/1990\nB,Noor,F,1990-03-05\n");
        assertThat(resources(result.bundle(), Patient.class))
                .extracting(p -> p.getBirthDateElement().getValueAsString())
                .containsExactly("1990-03-05", "1990-03-05");
    }

    @Test
    void anUnknownColumnIsReportedAndIgnored() {
        CsvMappingResult result = map(CsvLayout.PATIENTS, "mrn,given_name,sex,remarks\nA,Gul,M,walk-in\n");
        assertThat(result.issues())
                .containsExactly(MappingIssue.atCell(
                        MappingIssue.Severity.WARNING,
                        1,
                        "remarks",
                        "the patients layout has no such column; its cells are ignored"));
        assertThat(result.issues().get(0).location()).isEqualTo("line 1, column remarks");
        assertThat(result.rowsMapped()).isEqualTo(1);
    }

    @Test
    void extraCellsBeyondTheHeaderAreReported() {
        CsvMappingResult result = map(CsvLayout.PATIENTS, "mrn,given_name,sex\nA,Gul,M,oops\n");
        assertThat(result.issues()).extracting(MappingIssue::location).containsExactly("line 2");
        assertThat(result.rowsMapped()).isEqualTo(1);
    }

    @Test
    void aMissingRequiredColumnRefusesTheWholeFileNamingEveryMissingColumn() {
        assertThatThrownBy(() -> map(CsvLayout.LAB_RESULTS, "mrn,test_code\nA,HB\n"))
                .isInstanceOfSatisfying(
                        MappingException.class,
                        e -> assertThat(e.getIssues())
                                .extracting(MappingIssue::location)
                                .containsExactly("line 1, column result_value", "line 1, column collected_at"));
    }

    @Test
    void aColumnTwiceInTheHeaderRefusesTheFile() {
        assertThatThrownBy(() -> map(CsvLayout.PATIENTS, "mrn,sex,given_name,Given Name\nA,M,Gul,Gul\n"))
                .isInstanceOf(MappingException.class)
                .hasMessage("line 1, column given_name: the column appears twice in the header");
    }

    @Test
    void anEmptyFileIsRefused() {
        assertThatThrownBy(() -> map(CsvLayout.PATIENTS, "\uFEFF"))
                .isInstanceOf(MappingException.class)
                .hasMessage("line 1: the file is empty; the first line must be the header");
    }

    @Test
    void aFileThatIsNotUtf8IsRefusedWithAHowTo() {
        byte[] windows1252 = "mrn,given_name,sex\nA,Jos\u00e9,M\n".getBytes(StandardCharsets.ISO_8859_1);
        assertThatThrownBy(() -> mapper.map(CsvLayout.PATIENTS, new ByteArrayInputStream(windows1252), SOURCE))
                .isInstanceOf(MappingException.class)
                .hasMessageContaining("CSV UTF-8");
    }

    @Test
    void anUploadWithoutFacilityIsRefused() {
        SourceInfo noFacility = new SourceInfo("x", null, null, null);
        assertThatThrownBy(() -> mapper.map(CsvLayout.PATIENTS, new StringReader("mrn,sex\n"), noFacility))
                .isInstanceOf(MappingException.class)
                .hasMessageStartingWith("source:");
    }

    @Test
    void formulaInATextCellRejectsTheRowAndSaysWhy() {
        CsvMappingResult result = map(CsvLayout.PATIENTS, "mrn,given_name,sex\nA,=1+2,M\nB,Gul,M\n");
        assertThat(result.issues()).singleElement().satisfies(issue -> {
            assertThat(issue.severity()).isEqualTo(MappingIssue.Severity.ERROR);
            assertThat(issue.location()).isEqualTo("line 2, column given_name");
            assertThat(issue.reason()).contains("formula injection is refused");
        });
        assertThat(result.rowsMapped()).isEqualTo(1);
    }

    @Test
    void formulaCharactersAreRefusedInEveryTextColumnIncludingMrnAndCodes() {
        assertThat(map(CsvLayout.PATIENTS, "mrn,given_name,sex\n@A1,Gul,M\n").rowsRejected())
                .isEqualTo(1);
        assertThat(map(CsvLayout.IMMUNIZATIONS, "mrn,vaccine_code,date_given\nA,+BCG,2024-01-01\n")
                        .rowsRejected())
                .isEqualTo(1);
        assertThat(map(CsvLayout.PATIENTS, "mrn,given_name,sex\nA,\tGul,M\n").rowsRejected())
                .isEqualTo(1);
        assertThat(map(CsvLayout.PATIENTS, "mrn,given_name,sex\nA,  -Gul,M\n").rowsRejected())
                .isEqualTo(1);
    }

    @Test
    void aPhoneMayStartWithPlusButNotWithEquals() {
        CsvMappingResult plus = map(CsvLayout.PATIENTS, "mrn,given_name,sex,phone\nA,Gul,M,+92 81 9201234\n");
        assertThat(plus.issues()).isEmpty();
        assertThat(resources(plus.bundle(), Patient.class)
                        .get(0)
                        .getTelecomFirstRep()
                        .getValue())
                .isEqualTo("+92819201234");
        CsvMappingResult formula = map(CsvLayout.PATIENTS, "mrn,given_name,sex,phone\nA,Gul,M,=92819201234\n");
        assertThat(formula.rowsRejected()).isEqualTo(1);
    }

    @Test
    void aNegativeNumericResultAndRangeAreNotText() {
        CsvMappingResult result = map(
                CsvLayout.LAB_RESULTS,
                "mrn,test_code,result_value,unit,reference_range,collected_at\nA,BE,-2.5,mmol/L,-3 - 3,2024-03-18\n");
        assertThat(result.rowsMapped()).isEqualTo(1);
        Observation observation = resources(result.bundle(), Observation.class).get(0);
        assertThat(observation.getValueQuantity().getValue()).isEqualByComparingTo("-2.5");
        assertThat(observation.getReferenceRangeFirstRep().getLow().getValue()).isEqualByComparingTo("-3");
    }

    @Test
    void aResultLikePlusVeIsTextAndRefused() {
        CsvMappingResult result =
                map(CsvLayout.LAB_RESULTS, "mrn,test_code,result_value,collected_at\nA,HBSAG,+ve,2024-03-18\n");
        assertThat(result.issues()).extracting(MappingIssue::location).containsExactly("line 2, column result_value");
    }

    @Test
    void aComparatorResultBecomesAQuantityComparator() {
        CsvMappingResult result = map(
                CsvLayout.LAB_RESULTS, "mrn,test_code,result_value,unit,collected_at\nA,CRP,<0.5,mg/L,2024-03-18\n");
        Quantity value = resources(result.bundle(), Observation.class).get(0).getValueQuantity();
        assertThat(value.getComparator()).isEqualTo(Quantity.QuantityComparator.LESS_THAN);
        assertThat(value.getCode()).isEqualTo("mg/L");
    }

    @Test
    void labTestCodeGainsLoincAndKeepsTheLocalCode() {
        CsvMappingResult result = map(
                CsvLayout.LAB_RESULTS,
                "mrn,test_code,result_value,unit,collected_at\nA,sgpt,42,U/L,2024-03-18 09:00\n");
        Observation observation = resources(result.bundle(), Observation.class).get(0);
        assertThat(observation.getCode().getCoding())
                .extracting(c -> c.getSystem() + "|" + c.getCode())
                .containsExactly("https://fhir.sehathub.pk/CodeSystem/local-lab|SGPT", "http://loinc.org|1742-6");
        assertThat(observation.getEffectiveDateTimeType().getValueAsString()).isEqualTo("2024-03-18T09:00:00+05:00");
    }

    @Test
    void vaccineCodeGainsCvxAndDoseZeroIsKeptAsText() {
        CsvMappingResult result = map(
                CsvLayout.IMMUNIZATIONS,
                "mrn,vaccine_code,dose_number,date_given\nA,OPV,0,2024-01-05\nA,PENTA,1,2024-02-14\n");
        List<Immunization> immunizations = resources(result.bundle(), Immunization.class);
        assertThat(immunizations.get(0).getVaccineCode().getCoding())
                .extracting(c -> c.getCode())
                .containsExactly("OPV", "178");
        assertThat(immunizations
                        .get(0)
                        .getProtocolAppliedFirstRep()
                        .getDoseNumberStringType()
                        .getValue())
                .isEqualTo("0");
        assertThat(immunizations
                        .get(1)
                        .getProtocolAppliedFirstRep()
                        .getDoseNumberPositiveIntType()
                        .getValue())
                .isEqualTo(1);
    }

    @Test
    void visitRowsWithoutTypeAreOutpatientAndOpdMeansAmbulatory() {
        CsvMappingResult result =
                map(CsvLayout.VISITS, "mrn,visit_id,visit_date,visit_type\nA,V1,2024-03-18,\nB,V2,2024-03-18,IPD\n");
        assertThat(resources(result.bundle(), Encounter.class))
                .extracting(e -> e.getClass_().getCode())
                .containsExactly("AMB", "IMP");
    }

    @Test
    void cnicSexMismatchIsAWarningAndThePatientIsStillMapped() {
        CsvMappingResult result = map(CsvLayout.PATIENTS, "mrn,cnic,given_name,sex\nA,54401-1122334-5,Gul,F\n");
        assertThat(result.rowsMapped()).isEqualTo(1);
        assertThat(result.issues())
                .containsExactly(MappingIssue.atCell(
                        MappingIssue.Severity.WARNING,
                        2,
                        "cnic",
                        "CNIC last digit 5 implies male but the recorded sex is female"));
    }

    @Test
    void theClinicsMrnIsScopedToTheClinicAndTheCnicIsNational() {
        CsvMappingResult result = map(CsvLayout.PATIENTS, "mrn,cnic,given_name,sex\nA-1,5440111223345,Gul,M\n");
        Patient patient = resources(result.bundle(), Patient.class).get(0);
        assertThat(patient.getIdentifier())
                .extracting(i -> i.getSystem() + "|" + i.getValue())
                .containsExactly(
                        "https://fhir.sehathub.pk/sid/cnic|54401-1122334-5",
                        "https://fhir.sehathub.pk/sid/mrn/civil-hospital-quetta|A-1");
        assertThat(result.bundle().getEntry().get(1).getRequest().getUrl())
                .isEqualTo("Patient?identifier=https://fhir.sehathub.pk/sid/mrn/civil-hospital-quetta%7CA-1");
    }

    @Test
    void theProvenanceNamesTheUploadAndEveryWrittenResource() {
        CsvMappingResult result = map(CsvLayout.PATIENTS, "mrn,given_name,sex\nA,Gul,M\n");
        Provenance provenance = resources(result.bundle(), Provenance.class).get(0);
        assertThat(provenance.getTarget()).hasSize(2);
        assertThat(provenance.getEntityFirstRep().getWhat().getIdentifier().getValue())
                .isEqualTo("upload-42");
    }

    @Test
    void withoutAMessageIdTheUploadIsIdentifiedByItsContent() {
        SourceInfo anonymous = new SourceInfo("clinic-csv-upload", "Civil Hospital Quetta", null, null);
        String csv = "mrn,given_name,sex\nA,Gul,M\n";
        Provenance first = resources(
                        mapper.map(CsvLayout.PATIENTS, new StringReader(csv), anonymous)
                                .bundle(),
                        Provenance.class)
                .get(0);
        Provenance again = resources(
                        mapper.map(CsvLayout.PATIENTS, new StringReader(csv), anonymous)
                                .bundle(),
                        Provenance.class)
                .get(0);
        Provenance other = resources(
                        mapper.map(CsvLayout.PATIENTS, new StringReader(csv + "B,Noor,F\n"), anonymous)
                                .bundle(),
                        Provenance.class)
                .get(0);
        String id = first.getEntityFirstRep().getWhat().getIdentifier().getValue();
        assertThat(id).startsWith("csv-patients-");
        assertThat(again.getEntityFirstRep().getWhat().getIdentifier().getValue())
                .isEqualTo(id);
        assertThat(other.getEntityFirstRep().getWhat().getIdentifier().getValue())
                .isNotEqualTo(id);
    }

    @Test
    void aFileWithNoGoodRowGivesAnEmptyBundleWithoutProvenance() {
        CsvMappingResult result = map(CsvLayout.PATIENTS, "mrn,given_name,sex\nA,Gul,\n");
        assertThat(result.bundle().getEntry()).isEmpty();
        assertThat(result.rowsRejected()).isEqualTo(1);
    }
}
