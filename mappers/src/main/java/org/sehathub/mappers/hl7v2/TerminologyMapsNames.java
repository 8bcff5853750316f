package org.sehathub.mappers.hl7v2;

import org.sehathub.mappers.terminology.TerminologyMaps;

/** The terminology maps the HL7 v2 mapper consults, by the role they play here. */
final class TerminologyMapsNames {

    static final String LAB = TerminologyMaps.LAB_TO_LOINC;
    static final String DIAGNOSIS = TerminologyMaps.DIAGNOSIS_TO_ICD10;
    static final String VACCINE = TerminologyMaps.VACCINE_TO_CVX;

    private TerminologyMapsNames() {}
}
