package org.sehathub.ingest.support;

/** Synthetic HL7 v2 messages for the route tests; segments end with CR. */
public final class Hl7Messages {

    private Hl7Messages() {}

    public static String msh(String facility, String controlId, String type, String processingId, String version) {
        return "MSH|^~\\&|TEST-HIS|" + facility + "|SEHATHUB|SEHATHUB|20240315103000+0500||" + type + "|" + controlId
                + "|" + processingId + "|" + version + "|||AL|NE|PAK|UNICODE UTF-8\r";
    }

    /** An ADT^A04 registration of one patient with this MRN. */
    public static String registration(String facility, String controlId, String mrn) {
        return registration(facility, controlId, mrn, "19850412");
    }

    public static String registration(String facility, String controlId, String mrn, String birthDate) {
        return msh(facility, controlId, "ADT^A04^ADT_A01", "P", "2.5")
                + "EVN|A04|20240315103000\r"
                + "PID|1||" + mrn + "^^^" + facility + "^MR~35202-4567891-3^^^NADRA^NI||Raza^Ali^^^^^L||" + birthDate
                + "|M|||House 12^Gulberg III^Lahore^Punjab^54660^PAK^H||0300-1234567^PRN^CP\r"
                + "PV1|1|O\r";
    }

    /** A registration followed by {@code count} segments made by {@code segment} (given 1, 2, ...). */
    public static String registrationWith(
            String facility, String controlId, int count, java.util.function.IntFunction<String> segment) {
        StringBuilder message = new StringBuilder(registration(facility, controlId, "MR-" + controlId));
        for (int i = 1; i <= count; i++) {
            message.append(segment.apply(i)).append('\r');
        }
        return message.toString();
    }

    /** A message whose only identifier is an invalid CNIC: refused, and the reason quotes it. */
    public static String invalidCnicOnly(String facility, String controlId, String cnic) {
        return msh(facility, controlId, "ADT^A04^ADT_A01", "P", "2.5")
                + "EVN|A04|20240315103000\r"
                + "PID|1||" + cnic + "^^^NADRA^NI||Raza^Ali^^^^^L||19850412|M\r"
                + "PV1|1|O\r";
    }
}
