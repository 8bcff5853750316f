package org.sehathub.mappers.terminology;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.ConceptMap;
import org.hl7.fhir.r4.model.Enumerations.ConceptMapEquivalence;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class TerminologyMapsTest {

    private static final TerminologyMaps MAPS = TerminologyMaps.loadDefault();

    @Test
    void loadsTheThreeShippedMaps() {
        assertThat(MAPS.names()).containsExactly("lab-to-loinc", "diagnosis-to-icd10", "vaccine-to-cvx");
    }

    @ParameterizedTest
    @CsvSource({
        "lab-to-loinc,HB,http://loinc.org,718-7",
        "lab-to-loinc,TLC,http://loinc.org,6690-2",
        "lab-to-loinc,plt,http://loinc.org,777-3",
        "lab-to-loinc,FBS,http://loinc.org,1558-6",
        "lab-to-loinc,HBA1C,http://loinc.org,4548-4",
        "lab-to-loinc,HBSAG,http://loinc.org,5196-1",
        "lab-to-loinc,ANTIHCV,http://loinc.org,13955-0",
        "lab-to-loinc,MPRDT,http://loinc.org,70569-9",
        "lab-to-loinc,NS1,http://loinc.org,75377-2",
        "lab-to-loinc,URINE-RE,http://loinc.org,24356-8",
        "diagnosis-to-icd10,TYPHOID,http://hl7.org/fhir/sid/icd-10,A01.0",
        "diagnosis-to-icd10,DM2,http://hl7.org/fhir/sid/icd-10,E11.9",
        "diagnosis-to-icd10,COVID19,http://hl7.org/fhir/sid/icd-10,U07.1",
        "vaccine-to-cvx,BCG,http://hl7.org/fhir/sid/cvx,19",
        "vaccine-to-cvx,PENTA,http://hl7.org/fhir/sid/cvx,102",
        "vaccine-to-cvx,PCV10,http://hl7.org/fhir/sid/cvx,177",
        "vaccine-to-cvx,MR,http://hl7.org/fhir/sid/cvx,04",
        "vaccine-to-cvx,TCV,http://hl7.org/fhir/sid/cvx,190",
        "vaccine-to-cvx,HEPB-BD,http://hl7.org/fhir/sid/cvx,08"
    })
    void translatesStarterCodes(String map, String local, String system, String code) {
        Coding coding = MAPS.translate(map, local).orElseThrow();
        assertThat(coding.getSystem()).isEqualTo(system);
        assertThat(coding.getCode()).isEqualTo(code);
        assertThat(coding.getDisplay()).isNotBlank();
    }

    @Test
    void translateIgnoresCaseAndSpacing() {
        assertThat(MAPS.translate(TerminologyMaps.LAB_TO_LOINC, " hb "))
                .map(Coding::getCode)
                .contains("718-7");
    }

    @Test
    void translateIsEmptyForAnUnknownCodeAndForAnUnmatchedRow() {
        assertThat(MAPS.translate(TerminologyMaps.LAB_TO_LOINC, "NOPE")).isEmpty();
        assertThat(MAPS.translate(TerminologyMaps.LAB_TO_LOINC, "WIDAL")).isEmpty();
        assertThat(MAPS.translate(TerminologyMaps.LAB_TO_LOINC, null)).isEmpty();
    }

    @Test
    void translateRefusesAMapThatIsNotLoaded() {
        assertThatThrownBy(() -> MAPS.translate("drug-to-atc", "X")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void enrichKeepsTheLocalCodingAndAddsTheStandardOne() {
        CodeableConcept concept =
                new CodeableConcept(new Coding("https://fhir.sehathub.pk/CodeSystem/local/mayo", "TYPHOID", "Typhoid"));
        MAPS.enrich(concept, TerminologyMaps.DIAGNOSIS_TO_ICD10);
        assertThat(concept.getCoding()).extracting(Coding::getCode).containsExactly("TYPHOID", "A01.0");
    }

    @Test
    void enrichLeavesAConceptThatAlreadyHasTheStandardCoding() {
        CodeableConcept concept = new CodeableConcept(new Coding("urn:x", "HB", null));
        concept.addCoding(new Coding("http://loinc.org", "59260-0", null));
        MAPS.enrich(concept, TerminologyMaps.LAB_TO_LOINC);
        assertThat(concept.getCoding()).hasSize(2);
    }

    @Test
    void enrichLeavesAnUnknownLocalCodeAlone() {
        CodeableConcept concept = new CodeableConcept(new Coding("urn:x", "ZZZ", null));
        MAPS.enrich(concept, TerminologyMaps.LAB_TO_LOINC);
        assertThat(concept.getCoding()).hasSize(1);
    }

    @Test
    void exportsConceptMapsWithStableCanonicalUrls() {
        List<ConceptMap> conceptMaps = MAPS.toConceptMaps();
        ConceptMap lab = conceptMaps.get(0);
        assertThat(lab.getUrl()).isEqualTo("https://fhir.sehathub.pk/ConceptMap/lab-to-loinc");
        assertThat(lab.getIdElement().getIdPart()).isEqualTo("lab-to-loinc");
        assertThat(lab.getName()).isEqualTo("LabToLoinc");
        assertThat(lab.getGroupFirstRep().getSource()).isEqualTo("https://fhir.sehathub.pk/CodeSystem/local-lab");
        assertThat(lab.getGroupFirstRep().getTarget()).isEqualTo("http://loinc.org");
        ConceptMap.SourceElementComponent hb = lab.getGroupFirstRep().getElement().stream()
                .filter(e -> e.getCode().equals("HB"))
                .findFirst()
                .orElseThrow();
        assertThat(hb.getTargetFirstRep().getCode()).isEqualTo("718-7");
        assertThat(hb.getTargetFirstRep().getEquivalence()).isEqualTo(ConceptMapEquivalence.EQUIVALENT);
        ConceptMap.SourceElementComponent widal = lab.getGroupFirstRep().getElement().stream()
                .filter(e -> e.getCode().equals("WIDAL"))
                .findFirst()
                .orElseThrow();
        assertThat(widal.getTargetFirstRep().getEquivalence()).isEqualTo(ConceptMapEquivalence.UNMATCHED);
        assertThat(widal.getTargetFirstRep().hasCode()).isFalse();
        assertThat(conceptMaps)
                .extracting(ConceptMap::getUrl)
                .containsExactly(
                        "https://fhir.sehathub.pk/ConceptMap/lab-to-loinc",
                        "https://fhir.sehathub.pk/ConceptMap/diagnosis-to-icd10",
                        "https://fhir.sehathub.pk/ConceptMap/vaccine-to-cvx");
    }

    @Test
    void aDirectoryOverridesOneTableAndTheOthersComeFromTheJar(@TempDir Path dir) throws IOException {
        Files.writeString(
                dir.resolve("lab-to-loinc.csv"),
                "\uFEFFsource_code,source_display,target_code,target_display,equivalence\r\n"
                        + "HB,Haemoglobin,59260-0,Hemoglobin [Moles/volume] in Blood,equivalent\r\n\r\n",
                StandardCharsets.UTF_8);
        TerminologyMaps maps = TerminologyMaps.load(dir);
        assertThat(maps.translate(TerminologyMaps.LAB_TO_LOINC, "HB"))
                .map(Coding::getCode)
                .contains("59260-0");
        assertThat(maps.translate(TerminologyMaps.LAB_TO_LOINC, "PLT")).isEmpty();
        assertThat(maps.translate(TerminologyMaps.VACCINE_TO_CVX, "BCG"))
                .map(Coding::getCode)
                .contains("19");
    }

    @Test
    void aDuplicateSourceCodeFailsLoadingWithItsLine(@TempDir Path dir) throws IOException {
        Files.writeString(
                dir.resolve("vaccine-to-cvx.csv"),
                "source_code,source_display,target_code,target_display,equivalence\nBCG,,19,,equivalent\nbcg,,19,,equivalent\n");
        assertThatThrownBy(() -> TerminologyMaps.load(dir))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("vaccine-to-cvx.csv line 3: source_code 'bcg' appears twice");
    }

    @Test
    void anUnknownEquivalenceFailsLoading(@TempDir Path dir) throws IOException {
        Files.writeString(
                dir.resolve("vaccine-to-cvx.csv"),
                "source_code,source_display,target_code,target_display,equivalence\nBCG,,19,,same\n");
        assertThatThrownBy(() -> TerminologyMaps.load(dir)).hasMessageContaining("line 2: equivalence 'same'");
    }

    @Test
    void aTargetlessRowMustSayUnmatched(@TempDir Path dir) throws IOException {
        Files.writeString(
                dir.resolve("vaccine-to-cvx.csv"),
                "source_code,source_display,target_code,target_display,equivalence\nBCG,,,,equivalent\n");
        assertThatThrownBy(() -> TerminologyMaps.load(dir))
                .hasMessage(
                        "vaccine-to-cvx.csv line 2: target_code must be empty exactly when equivalence is unmatched");
    }
}
