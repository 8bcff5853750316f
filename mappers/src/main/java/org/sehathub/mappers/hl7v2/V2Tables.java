package org.sehathub.mappers.hl7v2;

import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The codes some HL7 tables define, for the tables whose code system we write (from the v2 code
 * systems of terminology.hl7.org as HAPI's R4 validation resources ship them). A value a table
 * does not define is never put into its system: it stays in the facility's local system (or as
 * text), so that a stored resource never claims a code the system does not have and every stored
 * resource passes {@code $validate}.
 */
final class V2Tables {

  static final String RELATIONSHIP = "http://terminology.hl7.org/CodeSystem/v2-0063";
  static final String CONTACT_ROLE = "http://terminology.hl7.org/CodeSystem/v2-0131";
  static final String DIAGNOSTIC_SECTION = "http://terminology.hl7.org/CodeSystem/v2-0074";
  static final String DOCUMENT_TYPE = "http://terminology.hl7.org/CodeSystem/v2-0270";
  static final String IDENTIFIER_TYPE = "http://terminology.hl7.org/CodeSystem/v2-0203";

  private static final Map<String, Set<String>> CODES = Map.of(
      RELATIONSHIP, Set.of("ASC", "BRO", "CGV", "CHD", "DEP", "DOM", "EMC", "EME", "EMR", "EXF", "FCH", "FND", "FTH",
          "GCH", "GRD", "GRP", "MGR", "MTH", "NCH", "NON", "OAD", "OTH", "OWN", "PAR", "SCH", "SEL", "SIB", "SIS", "SPO",
          "TRA", "UNK", "WRD"),
      CONTACT_ROLE, Set.of("BP", "C", "CP", "E", "EP", "F", "I", "N", "O", "PR", "S", "U"),
      DIAGNOSTIC_SECTION, Set.of("AU", "BG", "BLB", "CG", "CH", "CP", "CT", "CTH", "CUS", "EC", "EN", "GE", "HM", "ICU",
          "IMG", "IMM", "LAB", "MB", "MCB", "MYC", "NMR", "NMS", "NRS", "OSL", "OT", "OTH", "OUS", "PAR", "PAT", "PF",
          "PHR", "PHY", "PT", "RAD", "RC", "RT", "RUS", "RX", "SP", "SR", "TX", "URN", "VR", "VUS", "XRC"),
      DOCUMENT_TYPE, Set.of("AR", "CD", "CN", "DI", "DS", "ED", "HP", "OP", "PC", "PH", "PN", "PR", "SP", "TS"),
      IDENTIFIER_TYPE, Set.of("AC", "ACSN", "AM", "AMA", "AN", "ANC", "AND", "ANON", "ANT", "APRN", "ASID", "BA", "BC",
          "BCFN", "BCT", "BR", "BRN", "BSNR", "CC", "CONM", "CY", "CZ", "DC", "DCFN", "DDS", "DEA", "DFN", "DI", "DL",
          "DN", "DO", "DP", "DPM", "DR", "DS", "EI", "EN", "ESN", "FDR", "FDRFN", "FI", "FILL", "GI", "GL", "GN", "HC",
          "IND", "JHN", "LACSN", "LANR", "LI", "LN", "LR", "MA", "MB", "MC", "MCD", "MCN", "MCR", "MCT", "MD", "MI", "MR",
          "MRT", "MS", "NBSNR", "NCT", "NE", "NH", "NI", "NII", "NIIP", "NNxxx", "NP", "NPI", "OBI", "OD", "PA", "PC",
          "PCN", "PE", "PEN", "PHC", "PHE", "PHO", "PI", "PLAC", "PN", "PNT", "PPIN", "PPN", "PRC", "PRN", "PT", "QA",
          "RI", "RN", "RPH", "RR", "RRI", "RRP", "SB", "SID", "SL", "SN", "SNBSN", "SNO", "SP", "SR", "SS", "STN", "TAX",
          "TN", "TPR", "TRL", "U", "UDI", "UPIN", "USID", "VN", "VP", "VS", "WC", "WCN", "WP", "XV", "XX"));

  private V2Tables() {}

  /** True when {@code system} is one of these tables and defines {@code code}. */
  static boolean defines(String system, String code) {
    Set<String> codes = CODES.get(system);
    return codes != null && code != null && codes.contains(code);
  }

  /** True when we know the codes of {@code system}: a code outside them must not be written there. */
  static boolean isKnown(String system) {
    return CODES.containsKey(system);
  }

  /** Table codes are upper case; senders write {@code spo} too. */
  static String canonical(String code) {
    return code == null ? null : code.strip().toUpperCase(Locale.ROOT);
  }
}
