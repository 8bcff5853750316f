package org.sehathub.mappers.hl7v2;

import org.sehathub.mappers.NamingSystems;

/**
 * Identifier systems for the business identifiers HL7 v2 carries (visit numbers, order numbers,
 * appointment ids...), each scoped to the facility (or assigning authority) that issued them, in
 * the same namespace as {@link NamingSystems}.
 */
final class Hl7v2Systems {

    private static final String SID = "https://fhir.sehathub.pk/sid/";

    private Hl7v2Systems() {}

    /** PV1-19 visit numbers. */
    static String visit(String facility) {
        return SID + "visit/" + NamingSystems.slug(facility);
    }

    /** ORC-2/OBR-2 placer order numbers. */
    static String placerOrder(String facility) {
        return SID + "placer-order/" + NamingSystems.slug(facility);
    }

    /** ORC-4 placer group numbers (the requisition orders placed together share). */
    static String placerGroup(String facility) {
        return SID + "placer-group/" + NamingSystems.slug(facility);
    }

    /** ORC-3/OBR-3 filler order numbers. */
    static String fillerOrder(String facility) {
        return SID + "filler-order/" + NamingSystems.slug(facility);
    }

    /** One result: filler (or placer) order number, OBX set id and sub-id. */
    static String observation(String facility) {
        return SID + "observation/" + NamingSystems.slug(facility);
    }

    /** SPM-2 specimen ids (filler's, else placer's). */
    static String specimen(String facility) {
        return SID + "specimen/" + NamingSystems.slug(facility);
    }

    /** TXA-12 unique document numbers. */
    static String document(String facility) {
        return SID + "document/" + NamingSystems.slug(facility);
    }

    /** SCH-1/SCH-2 appointment ids. */
    static String appointment(String facility) {
        return SID + "appointment/" + NamingSystems.slug(facility);
    }

    /** ORC-3 (or ORC-2) of a VXU: the facility's id of one vaccine administration. */
    static String immunization(String facility) {
        return SID + "immunization/" + NamingSystems.slug(facility);
    }

    /** Wards, rooms and beds named in PL datatypes. */
    static String location(String facility) {
        return SID + "location/" + NamingSystems.slug(facility);
    }

    /** Staff numbers of practitioners (XCN-1) that are not PMDC registration numbers. */
    static String practitioner(String authority) {
        return SID + "practitioner/" + NamingSystems.slug(authority);
    }

    /** Patient identifiers that are neither CNICs nor MRNs (passport, NTN, ...), per type and issuer. */
    static String otherPatientIdentifier(String type, String authority) {
        return SID + NamingSystems.slug(type) + "/" + NamingSystems.slug(authority);
    }
}
