package org.sehathub.server.consent;

import java.util.Set;

/**
 * What a patient's consents let one app see of her record, now.
 *
 * @param permitted an active consent grants the app access, and no active one denies it
 * @param types the resource types granted; empty means all (the Patient resource itself always
 *     comes with a grant)
 * @param clinicianGender when she asked that only clinicians of this gender ({@code female}) see
 *     her record, or parts of it; null otherwise
 * @param genderTypes the parts that preference covers; empty means all
 */
public record Grant(boolean permitted, Set<String> types, String clinicianGender, Set<String> genderTypes) {

    public static final Grant NONE = new Grant(false, Set.of(), null, Set.of());

    public Grant {
        types = Set.copyOf(types);
        genderTypes = Set.copyOf(genderTypes);
    }

    /** Whether the grant covers a resource of this type. */
    public boolean covers(String type) {
        return permitted && (types.isEmpty() || types.contains(type) || "Patient".equals(type));
    }

    /** Whether the clinician-gender preference applies to a resource of this type. */
    public boolean genderRuleCovers(String type) {
        return clinicianGender != null && (genderTypes.isEmpty() || genderTypes.contains(type));
    }
}
