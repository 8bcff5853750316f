package org.sehathub.mappers.hl7v2;

import java.util.Locale;

/**
 * The state of an order as HL7 v2 tells it, read once for every kind of order (ServiceRequest,
 * MedicationRequest): from ORC-5 order status (table 0038) or from ORC-1 order control (table
 * 0119). Each mapper turns it into its resource's status.
 */
enum OrderState {
    ACTIVE,
    COMPLETED,
    /** Cancelled before it was acted on (0038 CA; 0119 CA, OC, CR). */
    CANCELLED,
    /** Stopped after it was acted on (0038 DC; 0119 DC, OD, DR). */
    DISCONTINUED,
    ON_HOLD,
    ENTERED_IN_ERROR;

    /** ORC-5 (table 0038), or null when empty or not a state this reads. */
    static OrderState ofStatus(SegmentRef orc) {
        return switch (upper(orc == null ? null : orc.field(5))) {
            case "CM" -> COMPLETED;
            case "CA" -> CANCELLED;
            case "DC" -> DISCONTINUED;
            case "HD" -> ON_HOLD;
            case "ER" -> ENTERED_IN_ERROR;
            case "IP", "SC", "A" -> ACTIVE;
            default -> null;
        };
    }

    /**
     * ORC-1 (table 0119) when it changes the state of an order the receiver already has, else null:
     * a new order (NW), a change of its content (XO), a status report (SC) are not state changes.
     * Releasing a hold (RL, OR) makes it active again.
     */
    static OrderState ofControl(SegmentRef orc) {
        return switch (upper(orc == null ? null : orc.field(1))) {
            case "CA", "OC", "CR" -> CANCELLED;
            case "DC", "OD", "DR" -> DISCONTINUED;
            case "HD", "OH", "HR" -> ON_HOLD;
            case "RL", "OR" -> ACTIVE;
            default -> null;
        };
    }

    private static String upper(String s) {
        return s == null ? "" : s.strip().toUpperCase(Locale.ROOT);
    }
}
