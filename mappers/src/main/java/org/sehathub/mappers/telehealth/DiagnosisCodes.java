package org.sehathub.mappers.telehealth;

import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.sehathub.mappers.MappingIssue;
import org.sehathub.mappers.NamingSystems;
import org.sehathub.mappers.terminology.TerminologyMaps;

/**
 * A diagnosis's code: the app's local code (in {@code diagnosis-to-icd10.csv}'s source system when
 * the table knows it, else the provider's local system, with a warning), the ICD-10 code the
 * document gives (the document's code wins over the table's, with a warning when they differ), and
 * the text as written.
 */
final class DiagnosisCodes {

    private DiagnosisCodes() {}

    static CodeableConcept code(
            Teleconsultation.DiagnosisData diagnosis,
            String pointer,
            TerminologyMaps terminology,
            String facility,
            List<MappingIssue> warnings) {
        CodeableConcept code = new CodeableConcept();
        if (diagnosis.localCode() != null) {
            TerminologyMaps.TerminologyMap map = terminology.map(TerminologyMaps.DIAGNOSIS_TO_ICD10);
            String local = diagnosis.localCode().strip().toUpperCase(Locale.ROOT);
            Optional<TerminologyMaps.Entry> entry = map.lookup(local);
            if (entry.isPresent()) {
                code.addCoding(new Coding(
                        map.sourceSystem(),
                        entry.get().sourceCode(),
                        entry.get().sourceDisplay().isEmpty()
                                ? null
                                : entry.get().sourceDisplay()));
                terminology
                        .translate(TerminologyMaps.DIAGNOSIS_TO_ICD10, local)
                        .filter(mapped -> !mapped.getCode().equals(diagnosis.icd10()))
                        .ifPresent(mapped -> warnings.add(MappingIssue.warning(
                                pointer + "/icd10",
                                "diagnosis-to-icd10.csv gives " + mapped.getCode() + " for " + local
                                        + "; the document's " + diagnosis.icd10() + " is used")));
            } else {
                code.addCoding(new Coding(NamingSystems.localCodes(facility), local, null));
                warnings.add(MappingIssue.warning(
                        pointer + "/local_code",
                        "code " + local + " is not in diagnosis-to-icd10.csv; kept as a local code of " + facility));
            }
        }
        Coding icd10 = terminology.map(TerminologyMaps.DIAGNOSIS_TO_ICD10).entries().values().stream()
                .filter(e -> e.targetCode().equals(diagnosis.icd10()))
                .findFirst()
                .map(e -> new Coding(
                        NamingSystems.ICD10,
                        diagnosis.icd10(),
                        e.targetDisplay().isEmpty() ? null : e.targetDisplay()))
                .orElseGet(() -> new Coding(NamingSystems.ICD10, diagnosis.icd10(), null));
        code.addCoding(icd10);
        Optional.ofNullable(diagnosis.text()).map(String::strip).ifPresent(code::setText);
        return code;
    }
}
