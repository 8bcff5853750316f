package org.sehathub.mappers.normalize;

import java.math.BigDecimal;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.hl7.fhir.r4.model.Quantity;
import org.sehathub.mappers.NamingSystems;

/**
 * Units as written on Pakistani lab reports and devices, to UCUM. The Quantity keeps the unit as
 * the source wrote it in {@code unit} (what a clinician reads) and the UCUM code in {@code code}
 * with system {@code http://unitsofmeasure.org}. A unit we do not know is kept as text only, never
 * guessed; {@link #ucum(String)} tells callers whether it was recognised so they can report it.
 */
public final class UnitNormalizer {

    private static final Map<String, String> UCUM = new HashMap<>();

    static {
        // Concentrations
        put("mg/L", "mg/l");
        put("mg/dL", "mg/dl", "mg%", "mg/100ml");
        put("g/dL", "g/dl", "gm/dl", "gms/dl", "gm%", "g%");
        put("g/L", "g/l", "gm/l");
        put("mmol/L", "mmol/l");
        put("umol/L", "umol/l", "µmol/l", "μmol/l", "micromol/l");
        put("meq/L", "meq/l", "mEq/L");
        put("ng/mL", "ng/ml");
        put("pg/mL", "pg/ml");
        put("ug/dL", "ug/dl", "µg/dl", "μg/dl", "mcg/dl");
        put("mmol/mol", "mmol/mol");
        // Enzymes and hormones
        put("U/L", "u/l", "iu/l", "units/l");
        put("m[IU]/L", "miu/l");
        put("u[IU]/mL", "uiu/ml", "µiu/ml", "μiu/ml", "microiu/ml");
        put("[IU]/mL", "iu/ml");
        // Counts (cumm = mm3 = uL; "lakh" = 100 000, how platelets are reported in Pakistan)
        put("10*9/L", "x10^9/l", "10^9/l", "x10e9/l", "10*9/l", "x 10^9/l", "x10*9/l", "10e9/l");
        put("10*12/L", "x10^12/l", "10^12/l", "x10e12/l", "10*12/l", "x 10^12/l", "10e12/l");
        put(
                "10*3/uL",
                "x10^3/ul",
                "10^3/ul",
                "x10^3/µl",
                "10^3/µl",
                "x10³/µl",
                "thousand/cumm",
                "x10^3/cumm",
                "10*3/ul");
        put("10*6/uL", "x10^6/ul", "10^6/ul", "million/cumm", "millions/cumm", "x10^6/cumm", "10*6/ul");
        put("10*5/uL", "lakh/cumm", "lac/cumm", "lakhs/cumm", "lacs/cumm");
        put("/uL", "/cumm", "/mm3", "cells/cumm", "/ul", "/µl", "cells/ul", "/cmm");
        put("/[HPF]", "/hpf", "per hpf", "cells/hpf");
        put("%", "%", "percent", "pct");
        put("fL", "fl");
        put("pg", "pg");
        put("mm/h", "mm/hr", "mm/h", "mm/1st hr", "mm/1st hour");
        put("s", "s", "sec", "secs", "seconds");
        // Vital signs
        put("/min", "bpm", "beats/min", "/min", "breaths/min", "per min", "b/min", "rpm");
        put("mm[Hg]", "mmhg", "mm hg", "mm[hg]");
        put("Cel", "c", "°c", "celsius", "degc", "deg c", "cel", "º c", "ºc", "° c");
        put("[degF]", "f", "°f", "fahrenheit", "degf", "deg f", "ºf", "° f");
        put("kg", "kg", "kgs", "kilogram", "kilograms");
        put("g", "g", "gm", "gms", "gram", "grams");
        put("cm", "cm", "centimetre", "centimeter", "cms");
        put("m", "m", "metre", "meter");
        put("mm", "mm");
        put("[in_i]", "in", "inch", "inches");
        put("kg/m2", "kg/m2", "kg/m^2", "kg/m²");
        put("mL", "ml");
        put("L", "l", "litre", "liter");
        put("mL/min/{1.73_m2}", "ml/min/1.73m2", "ml/min/1.73 m2", "ml/min/1.73m^2");
        put("{ratio}", "ratio");
        put("{index}", "index");
    }

    private UnitNormalizer() {}

    private static void put(String ucum, String... spellings) {
        UCUM.put(key(ucum), ucum);
        for (String spelling : spellings) {
            UCUM.put(key(spelling), ucum);
        }
    }

    private static String key(String unit) {
        return unit.strip().toLowerCase(Locale.ROOT).replaceAll("\\s+", " ");
    }

    /** The UCUM code for a unit as written, if we know it. */
    public static Optional<String> ucum(String rawUnit) {
        if (rawUnit == null || rawUnit.isBlank()) {
            return Optional.empty();
        }
        return Optional.ofNullable(UCUM.get(key(rawUnit)));
    }

    /**
     * A Quantity with the value, the unit as written and (when known) its UCUM code. Without a unit
     * the Quantity has the value only.
     */
    public static Quantity toQuantity(BigDecimal value, String rawUnit) {
        Objects.requireNonNull(value, "value");
        Quantity quantity = new Quantity().setValue(value);
        if (rawUnit == null || rawUnit.isBlank()) {
            return quantity;
        }
        String unit = rawUnit.strip();
        quantity.setUnit(unit);
        ucum(unit).ifPresent(code -> quantity.setSystem(NamingSystems.UCUM).setCode(code));
        return quantity;
    }
}
